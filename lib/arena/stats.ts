import { and, count, countDistinct, desc, eq, gte, isNotNull } from "drizzle-orm";
import type { ArenaDb } from "@/db/client";
import { battles, imports, models, prompts, responses } from "@/db/schema";

export interface DashboardStats {
  prompts: number;
  activePrompts: number;
  responses: number;
  models: number;
  visibleModels: number;
  votesTotal: number;
  votesToday: number;
  /** Votes kept but not counted because the battle named a model. */
  identityLeakVotes: number;
  voters: number;
  lastImport: { at: Date; fileName: string | null; format: string; summary: unknown } | null;
}

function startOfUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

export function dashboardStats(db: ArenaDb, now = new Date()): DashboardStats {
  const n = (q: { n: number } | undefined) => q?.n ?? 0;
  const voted = isNotNull(battles.winner);
  const last = db.select().from(imports).orderBy(desc(imports.id)).limit(1).get();
  return {
    prompts: n(db.select({ n: count() }).from(prompts).get()),
    activePrompts: n(
      db.select({ n: count() }).from(prompts).where(eq(prompts.disabled, false)).get(),
    ),
    responses: n(db.select({ n: count() }).from(responses).get()),
    models: n(db.select({ n: count() }).from(models).get()),
    visibleModels: n(
      db
        .select({ n: count() })
        .from(models)
        .where(and(eq(models.hidden, false), eq(models.deprecated, false)))
        .get(),
    ),
    votesTotal: n(db.select({ n: count() }).from(battles).where(voted).get()),
    votesToday: n(
      db
        .select({ n: count() })
        .from(battles)
        .where(and(voted, gte(battles.votedAt, startOfUtcDay(now))))
        .get(),
    ),
    identityLeakVotes: n(
      db
        .select({ n: count() })
        .from(battles)
        .where(and(voted, eq(battles.identityLeak, true)))
        .get(),
    ),
    voters: n(
      db
        .select({ n: countDistinct(battles.voterId) })
        .from(battles)
        .where(voted)
        .get(),
    ),
    lastImport: last
      ? { at: last.createdAt, fileName: last.fileName, format: last.format, summary: last.summary }
      : null,
  };
}

import { and, count, countDistinct, desc, eq, gte, isNotNull, sql } from "drizzle-orm";
import type { ArenaDb } from "@/db/client";
import { battles, imports, models, prompts, responses, tallies } from "@/db/schema";
import { OVERALL } from "./categories";
import { countedBattle } from "./import-visibility";

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
  // a running import's votes are not counted anywhere until it is done
  const voted = and(isNotNull(battles.winner), countedBattle);
  const last = db
    .select()
    .from(imports)
    .where(eq(imports.status, "done"))
    .orderBy(desc(imports.id))
    .limit(1)
    .get();
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

export interface PositionBias {
  /** Decisive counted votes for the left (A) and right (B) side. */
  left: number;
  right: number;
  ties: number;
  bothBad: number;
  /** left / (left + right); ½ when sides are chosen at random and voters are fair. */
  leftShare: number | null;
}

/** Left/right win rates over all counted votes: sides are random, so a skew means biased voting. */
export function positionBias(db: ArenaDb): PositionBias {
  const row = db
    .select({
      left: sql<number>`coalesce(sum(${tallies.winsA}), 0)`,
      right: sql<number>`coalesce(sum(${tallies.winsB}), 0)`,
      ties: sql<number>`coalesce(sum(${tallies.ties}), 0)`,
      bothBad: sql<number>`coalesce(sum(${tallies.bothBad}), 0)`,
    })
    .from(tallies)
    .where(eq(tallies.category, OVERALL))
    .get() ?? { left: 0, right: 0, ties: 0, bothBad: 0 };
  const decisive = row.left + row.right;
  return { ...row, leftShare: decisive ? row.left / decisive : null };
}

import {
  and,
  count,
  countDistinct,
  desc,
  eq,
  gte,
  inArray,
  isNotNull,
  type SQL,
  sql,
} from "drizzle-orm";
import { z } from "zod";
import { type ArenaDb, dialect } from "@/db/client";
import {
  battles,
  type ImportStatus,
  imports,
  models,
  prompts,
  responses,
  tallies,
} from "@/db/schema";
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
  /** The newest import that added something: what the arena's data came from last. */
  lastImport: ImportReport | null;
  /** The newest finished import, when it is not `lastImport` (it added nothing, or failed). */
  latestImport: ImportReport | null;
}

/** One import as the dashboard tells it. */
export interface ImportReport {
  id: number;
  at: Date;
  fileName: string | null;
  format: string;
  status: ImportStatus;
  userEmail: string | null;
  records: number;
  added: { prompts: number; responses: number; models: number; votes: number };
  skipped: number;
  /** Why a failed import was rolled back. */
  error: string | null;
}

const n0 = z.number().int().nonnegative().catch(0);
// The summary a done import stored (imports.ts ImportSummary), or a failed one's error; read
// leniently, so an older or odd row still shows what it has.
const storedSummary = z.object({
  records: n0,
  imported: z
    .object({ prompts: n0, responses: n0, models: n0, votes: n0 })
    .catch({ prompts: 0, responses: 0, models: 0, votes: 0 }),
  skipped: n0,
  error: z.string().nullable().catch(null),
});

function importReport(row: typeof imports.$inferSelect): ImportReport {
  const s = storedSummary.parse(typeof row.summary === "object" && row.summary ? row.summary : {});
  return {
    id: row.id,
    at: row.createdAt,
    fileName: row.fileName,
    format: row.format,
    status: row.status,
    userEmail: row.userEmail,
    records: s.records,
    added: s.imported,
    skipped: s.skipped,
    error: s.error,
  };
}

const added = (r: ImportReport) =>
  r.added.prompts + r.added.responses + r.added.models + r.added.votes > 0;

/** The newest finished import, and the newest one that added something if that is another. */
/**
 * A number in an import's stored summary (`imported.<field>`), 0 when missing. JSON is read
 * differently by each database: the one query here that branches on it.
 */
function importedCount(db: ArenaDb, field: string): SQL {
  return dialect(db) === "sqlite"
    ? sql`coalesce(json_extract(${imports.summary}, ${`$.imported.${field}`}), 0)`
    : sql`coalesce((${imports.summary}::jsonb #>> ${`{imported,${field}}`})::numeric, 0)`;
}

async function importReports(
  db: ArenaDb,
): Promise<Pick<DashboardStats, "lastImport" | "latestImport">> {
  const finished = inArray(imports.status, ["done", "failed"]);
  const [latest] = await db
    .select()
    .from(imports)
    .where(finished)
    .orderBy(desc(imports.id))
    .limit(1);
  if (!latest) return { lastImport: null, latestImport: null };
  const latestReport = importReport(latest);
  if (latest.status === "done" && added(latestReport))
    return { lastImport: latestReport, latestImport: null };
  const sum = (field: string) => importedCount(db, field);
  const [last] = await db
    .select()
    .from(imports)
    .where(
      and(
        eq(imports.status, "done"),
        sql`${sum("prompts")} + ${sum("responses")} + ${sum("models")} + ${sum("votes")} > 0`,
      ),
    )
    .orderBy(desc(imports.id))
    .limit(1);
  return { lastImport: last ? importReport(last) : null, latestImport: latestReport };
}

function startOfUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

export async function dashboardStats(db: ArenaDb, now = new Date()): Promise<DashboardStats> {
  const n = async (q: PromiseLike<{ n: number }[]>) => (await q)[0]?.n ?? 0;
  // a running import's votes are not counted anywhere until it is done
  const voted = and(isNotNull(battles.winner), countedBattle);
  return {
    prompts: await n(db.select({ n: count() }).from(prompts)),
    activePrompts: await n(
      db.select({ n: count() }).from(prompts).where(eq(prompts.disabled, false)),
    ),
    responses: await n(db.select({ n: count() }).from(responses)),
    models: await n(db.select({ n: count() }).from(models)),
    visibleModels: await n(
      db
        .select({ n: count() })
        .from(models)
        .where(and(eq(models.hidden, false), eq(models.deprecated, false))),
    ),
    votesTotal: await n(db.select({ n: count() }).from(battles).where(voted)),
    votesToday: await n(
      db
        .select({ n: count() })
        .from(battles)
        .where(and(voted, gte(battles.votedAt, startOfUtcDay(now)))),
    ),
    identityLeakVotes: await n(
      db
        .select({ n: count() })
        .from(battles)
        .where(and(voted, eq(battles.identityLeak, true))),
    ),
    voters: await n(
      db
        .select({ n: countDistinct(battles.voterId) })
        .from(battles)
        .where(voted),
    ),
    ...(await importReports(db)),
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
export async function positionBias(db: ArenaDb): Promise<PositionBias> {
  const [found] = await db
    .select({
      left: sql<number>`coalesce(sum(${tallies.winsA}), 0)`.mapWith(Number),
      right: sql<number>`coalesce(sum(${tallies.winsB}), 0)`.mapWith(Number),
      ties: sql<number>`coalesce(sum(${tallies.ties}), 0)`.mapWith(Number),
      bothBad: sql<number>`coalesce(sum(${tallies.bothBad}), 0)`.mapWith(Number),
    })
    .from(tallies)
    .where(eq(tallies.category, OVERALL));
  const row = found ?? { left: 0, right: 0, ties: 0, bothBad: 0 };
  const decisive = row.left + row.right;
  return { ...row, leftShare: decisive ? row.left / decisive : null };
}

import { and, eq, isNotNull, type SQL, sql } from "drizzle-orm";
import { type ArenaDb, databaseKey } from "@/db/client";
import { battles, counters, promptCategories, tallies, type Winner } from "@/db/schema";
import { WINNER } from "@/lib/winner";
import { OVERALL } from "./categories";
import { countedBattle } from "./import-visibility";
import { prepared } from "./prepared";

const p = sql.placeholder;

export interface TallyRow {
  category: string;
  modelAId: number;
  modelBId: number;
  winsA: number;
  winsB: number;
  ties: number;
  bothBad: number;
}

/**
 * Adds one vote to `overall` and to each of the prompt's categories. Run inside the vote's
 * transaction, as its last write (see addToTallies). Resolves with the new tallies version.
 */
export async function bumpTallies(
  db: ArenaDb,
  categories: string[],
  modelAId: number,
  modelBId: number,
  winner: Winner,
): Promise<number> {
  const cells = [...new Set([OVERALL, ...categories])].map((category) => ({
    category,
    modelAId,
    modelBId,
    winner,
    n: 1,
  }));
  return addToTallies(db, cells, { oneVote: true });
}

/** `n` votes with the same outcome for one ordered model pair in one category. */
export interface TallyCell {
  category: string;
  modelAId: number;
  modelBId: number;
  winner: Winner;
  n: number;
}

/**
 * Adds many votes at once, already counted per cell: how imports bump the tallies. One upsert
 * per category × ordered pair, whatever the number of votes, so an import's commit stays short.
 * Resolves with the new tallies version (the current one when there is nothing to add). The
 * version row is one lock every writer takes: callers do this last, so it is held only until
 * their commit.
 */
export async function addToTallies(
  db: ArenaDb,
  cells: TallyCell[],
  opts: { oneVote?: boolean } = {},
): Promise<number> {
  if (cells.length === 0) return talliesVersion(db);
  if (!opts.oneVote) noteBulkChange(db);
  const upsert = prepared(db, "tallies.add", () =>
    db
      .insert(tallies)
      .values({
        category: p("category"),
        modelAId: p("modelAId"),
        modelBId: p("modelBId"),
        winsA: p("winsA"),
        winsB: p("winsB"),
        ties: p("ties"),
        bothBad: p("bothBad"),
      })
      .onConflictDoUpdate({
        target: [tallies.category, tallies.modelAId, tallies.modelBId],
        set: {
          winsA: sql`${tallies.winsA} + excluded.wins_a`,
          winsB: sql`${tallies.winsB} + excluded.wins_b`,
          ties: sql`${tallies.ties} + excluded.ties`,
          bothBad: sql`${tallies.bothBad} + excluded.both_bad`,
        },
      })
      .prepare(),
  );
  const rows = new Map<string, TallyRow>();
  for (const { n, winner, ...cell } of cells) {
    const key = `${cell.category}\u0000${cell.modelAId}\u0000${cell.modelBId}`;
    let row = rows.get(key);
    if (!row) {
      row = { ...cell, winsA: 0, winsB: 0, ties: 0, bothBad: 0 };
      rows.set(key, row);
    }
    row[WINNER[winner].count] += n;
  }
  for (const row of rows.values()) await upsert.execute({ ...row });
  return bumpVersion(db);
}

const TALLIES_VERSION = "tallies";

const bulkChanges = new WeakMap<object, number>();

function noteBulkChange(db: ArenaDb): void {
  const key = databaseKey(db);
  bulkChanges.set(key, (bulkChanges.get(key) ?? 0) + 1);
}

/**
 * How many times this process changed the tallies other than by one vote (an import, an
 * exclusion, a recompute): what an in-memory copy of them (pair-counts.ts) must reload after,
 * where a vote it can follow in place.
 */
export function bulkTallyChanges(db: ArenaDb): number {
  return bulkChanges.get(databaseKey(db)) ?? 0;
}

/**
 * Called in the same transaction as every change to the tallies (or to the models they rank).
 * Resolves with the new version, read back from the write itself.
 */
export async function bumpTalliesVersion(db: ArenaDb): Promise<number> {
  noteBulkChange(db);
  return bumpVersion(db);
}

async function bumpVersion(db: ArenaDb): Promise<number> {
  const [row] = await prepared(db, "tallies.version.bump", () =>
    db
      .insert(counters)
      .values({ name: TALLIES_VERSION, value: 1 })
      .onConflictDoUpdate({ target: counters.name, set: { value: sql`${counters.value} + 1` } })
      .returning({ value: counters.value })
      .prepare(),
  ).execute();
  if (!row) throw new Error("the tallies version was not written");
  return row.value;
}

/** Changes whenever any tally changes: the leaderboard's cache key and the live pages' poll. */
export async function talliesVersion(db: ArenaDb): Promise<number> {
  const read = prepared(db, "tallies.version", () =>
    db
      .select({ value: counters.value })
      .from(counters)
      .where(eq(counters.name, TALLIES_VERSION))
      .prepare(),
  );
  return (await read.execute())[0]?.value ?? 0;
}

/**
 * The tallies as the battles say they should be: every counted vote, per category. A running
 * import's votes are left out, as the tallies leave them out until it is done. With `among`, only
 * the battles it selects: their share of the tallies.
 */
export async function talliesFromBattles(db: ArenaDb, among?: SQL): Promise<TallyRow[]> {
  const counted = and(
    isNotNull(battles.winner),
    eq(battles.excluded, false),
    eq(battles.identityLeak, false),
    countedBattle,
    among,
  );
  // Read as numbers: PostgreSQL's sum of integers is a bigint, which its driver gives as text.
  const sums = {
    modelAId: battles.modelAId,
    modelBId: battles.modelBId,
    winsA: sql<number>`sum(case when ${battles.winner} = 'a' then 1 else 0 end)`.mapWith(Number),
    winsB: sql<number>`sum(case when ${battles.winner} = 'b' then 1 else 0 end)`.mapWith(Number),
    ties: sql<number>`sum(case when ${battles.winner} = 'tie' then 1 else 0 end)`.mapWith(Number),
    bothBad: sql<number>`sum(case when ${battles.winner} = 'bothbad' then 1 else 0 end)`.mapWith(
      Number,
    ),
  };
  const overall = (
    await db.select(sums).from(battles).where(counted).groupBy(battles.modelAId, battles.modelBId)
  ).map((r) => ({ category: OVERALL, ...r }));
  const perCategory = await db
    .select({ category: promptCategories.category, ...sums })
    .from(battles)
    .innerJoin(promptCategories, eq(promptCategories.promptId, battles.promptId))
    .where(counted)
    .groupBy(promptCategories.category, battles.modelAId, battles.modelBId);
  return [...overall, ...perCategory];
}

/** Rebuilds every tally from the battles, the source of truth, in one transaction. */
export async function recomputeTallies(db: ArenaDb): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = await talliesFromBattles(tx);
    await tx.delete(tallies).where(sql`1 = 1`);
    for (let i = 0; i < rows.length; i += 500)
      await tx.insert(tallies).values(rows.slice(i, i + 500));
    await bumpTalliesVersion(tx);
    return rows.length;
  });
}

export async function readTallies(db: ArenaDb, category?: string): Promise<TallyRow[]> {
  const q = db.select().from(tallies);
  return category ? q.where(eq(tallies.category, category)) : q;
}

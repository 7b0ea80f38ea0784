import { and, eq, isNotNull, type SQL, sql } from "drizzle-orm";
import type { ArenaDb } from "@/db/client";
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

/** Adds one vote to `overall` and to each of the prompt's categories. Run inside the vote's transaction. */
export function bumpTallies(
  db: ArenaDb,
  categories: string[],
  modelAId: number,
  modelBId: number,
  winner: Winner,
): void {
  const cells = [...new Set([OVERALL, ...categories])].map((category) => ({
    category,
    modelAId,
    modelBId,
    winner,
    n: 1,
  }));
  addToTallies(db, cells);
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
 */
export function addToTallies(db: ArenaDb, cells: TallyCell[]): void {
  if (cells.length === 0) return;
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
  for (const row of rows.values()) upsert.run({ ...row });
  bumpTalliesVersion(db);
}

const TALLIES_VERSION = "tallies";

/** Called in the same transaction as every change to the tallies (or to the models they rank). */
export function bumpTalliesVersion(db: ArenaDb): void {
  prepared(db, "tallies.version.bump", () =>
    db
      .insert(counters)
      .values({ name: TALLIES_VERSION, value: 1 })
      .onConflictDoUpdate({ target: counters.name, set: { value: sql`${counters.value} + 1` } })
      .prepare(),
  ).run();
}

/** Changes whenever any tally changes: the leaderboard's cache key and the live pages' poll. */
export function talliesVersion(db: ArenaDb): number {
  return (
    prepared(db, "tallies.version", () =>
      db
        .select({ value: counters.value })
        .from(counters)
        .where(eq(counters.name, TALLIES_VERSION))
        .prepare(),
    ).get()?.value ?? 0
  );
}

/**
 * The tallies as the battles say they should be: every counted vote, per category. A running
 * import's votes are left out, as the tallies leave them out until it is done. With `among`, only
 * the battles it selects: their share of the tallies.
 */
export function talliesFromBattles(db: ArenaDb, among?: SQL): TallyRow[] {
  const counted = and(
    isNotNull(battles.winner),
    eq(battles.excluded, false),
    eq(battles.identityLeak, false),
    countedBattle,
    among,
  );
  const sums = {
    modelAId: battles.modelAId,
    modelBId: battles.modelBId,
    winsA: sql<number>`sum(case when ${battles.winner} = 'a' then 1 else 0 end)`,
    winsB: sql<number>`sum(case when ${battles.winner} = 'b' then 1 else 0 end)`,
    ties: sql<number>`sum(case when ${battles.winner} = 'tie' then 1 else 0 end)`,
    bothBad: sql<number>`sum(case when ${battles.winner} = 'bothbad' then 1 else 0 end)`,
  };
  const overall = db
    .select(sums)
    .from(battles)
    .where(counted)
    .groupBy(battles.modelAId, battles.modelBId)
    .all()
    .map((r) => ({ category: OVERALL, ...r }));
  const perCategory = db
    .select({ category: promptCategories.category, ...sums })
    .from(battles)
    .innerJoin(promptCategories, eq(promptCategories.promptId, battles.promptId))
    .where(counted)
    .groupBy(promptCategories.category, battles.modelAId, battles.modelBId)
    .all();
  return [...overall, ...perCategory];
}

/** Rebuilds every tally from the battles, the source of truth, in one transaction. */
export function recomputeTallies(db: ArenaDb): number {
  // Statements run on the connection, so the outer handle works inside its own transaction.
  return db.transaction(() => {
    const rows = talliesFromBattles(db);
    db.delete(tallies).where(sql`1 = 1`).run();
    for (let i = 0; i < rows.length; i += 500)
      db.insert(tallies)
        .values(rows.slice(i, i + 500))
        .run();
    bumpTalliesVersion(db);
    return rows.length;
  });
}

export function readTallies(db: ArenaDb, category?: string): TallyRow[] {
  const q = db.select().from(tallies);
  return (category ? q.where(eq(tallies.category, category)) : q).all();
}

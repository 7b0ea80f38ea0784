/**
 * Read-only checks of an arena database, run beside (or after) the server: the integrity of the
 * file, the tallies against a recompute from the battles (lib/arena/tallies.ts, the same code
 * `npm run arena -- recompute` uses), and the recorded winner of given battles.
 */
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { type ArenaDb, tagConnection } from "../../db/connection";
import * as schema from "../../db/schema";
import { type TallyRow, talliesFromBattles } from "../../lib/arena/tallies";

export interface TallyMismatch {
  cell: string;
  stored: string;
  recomputed: string;
}

export interface DbReport {
  integrity: string;
  foreignKeyViolations: number;
  votedBattles: number;
  battles: number;
  tallyCells: number;
  tallyMismatches: TallyMismatch[];
}

/**
 * Opens the file read-only: never migrates, never writes, safe while the server runs. An SQLite
 * file only: these checks (integrity_check, a crashed server's file) are about SQLite itself.
 */
export function openReadOnly(file: string): { sqlite: Database.Database; db: ArenaDb } {
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  sqlite.pragma("busy_timeout = 5000");
  const db = drizzle(sqlite, { schema }) as unknown as ArenaDb;
  tagConnection(db, {
    dialect: "sqlite",
    sqlite,
    close: async () => {
      sqlite.close();
    },
  });
  return { sqlite, db };
}

const key = (r: TallyRow) => `${r.category}|${r.modelAId}|${r.modelBId}`;
const counts = (r: TallyRow | undefined) =>
  r ? `${r.winsA}/${r.winsB}/${r.ties}/${r.bothBad}` : "0/0/0/0";

/** Cells (category × ordered pair) whose stored counts differ from the battles'; empty cells count as absent. */
export function compareTallies(stored: TallyRow[], recomputed: TallyRow[]): TallyMismatch[] {
  const nonEmpty = (rows: TallyRow[]) =>
    new Map(rows.filter((r) => r.winsA + r.winsB + r.ties + r.bothBad > 0).map((r) => [key(r), r]));
  const a = nonEmpty(stored);
  const b = nonEmpty(recomputed);
  const out: TallyMismatch[] = [];
  for (const cell of new Set([...a.keys(), ...b.keys()])) {
    const s = counts(a.get(cell));
    const r = counts(b.get(cell));
    if (s !== r) out.push({ cell, stored: s, recomputed: r });
  }
  return out;
}

export async function checkDatabase(file: string): Promise<DbReport> {
  const { sqlite, db } = openReadOnly(file);
  try {
    // One read transaction, so the tallies and the battles are the same snapshot (its body
    // awaits only this connection, which answers synchronously).
    sqlite.exec("BEGIN");
    try {
      const integrity = (sqlite.pragma("integrity_check") as { integrity_check: string }[])
        .map((r) => r.integrity_check)
        .join("; ");
      const foreignKeyViolations = (sqlite.pragma("foreign_key_check") as unknown[]).length;
      const stored = sqlite
        .prepare(
          "select category, model_a_id as modelAId, model_b_id as modelBId, wins_a as winsA, wins_b as winsB, ties, both_bad as bothBad from tallies",
        )
        .all() as TallyRow[];
      const tallyMismatches = compareTallies(stored, await talliesFromBattles(db));
      const { voted, total } = sqlite
        .prepare(
          "select count(winner) as voted, count(*) as total from battles where source = 'live'",
        )
        .get() as { voted: number; total: number };
      return {
        integrity,
        foreignKeyViolations,
        votedBattles: voted,
        battles: total,
        tallyCells: stored.length,
        tallyMismatches,
      };
    } finally {
      sqlite.exec("ROLLBACK");
    }
  } finally {
    sqlite.close();
  }
}

/** The recorded winner of each battle id (null when the battle has no vote, absent when no row). */
export function battleWinners(file: string, ids: string[]): Map<string, string | null> {
  const { sqlite } = openReadOnly(file);
  try {
    const stmt = sqlite.prepare("select winner from battles where id = ?");
    const out = new Map<string, string | null>();
    for (const id of ids) {
      const row = stmt.get(id) as { winner: string | null } | undefined;
      if (row) out.set(id, row.winner);
    }
    return out;
  } finally {
    sqlite.close();
  }
}

/** Voted battles in the database (live votes only, not imported ones). */
export function countVotedBattles(file: string): number {
  const { sqlite } = openReadOnly(file);
  try {
    return (
      sqlite
        .prepare("select count(*) as n from battles where winner is not null and source = 'live'")
        .get() as { n: number }
    ).n;
  } finally {
    sqlite.close();
  }
}

/**
 * Read-only checks of an arena database, run beside (or after) the server: the integrity of the
 * database, the tallies against a recompute from the battles (lib/arena/tallies.ts, the same code
 * `npm run arena -- recompute` uses), and the recorded winner of given battles. On SQLite files
 * and on PostgreSQL databases: `target` is a `file:` or `postgres://` URL, or a file's path.
 */
import Database from "better-sqlite3";
import { and, count, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { closeDatabase, databasePath, openDatabase } from "../../db/client";
import { type ArenaDb, connectionOf, tagConnection } from "../../db/connection";
import { dialectOf } from "../../db/dialect";
import { rows } from "../../db/rows";
import * as schema from "../../db/schema";
import { battles, tallies } from "../../db/schema";
import { type TallyRow, talliesFromBattles } from "../../lib/arena/tallies";

export interface TallyMismatch {
  cell: string;
  stored: string;
  recomputed: string;
}

export interface DbReport {
  /** "ok", or what is wrong: PRAGMA integrity_check on SQLite, amcheck on PostgreSQL. */
  integrity: string;
  /** PRAGMA foreign_key_check's rows on SQLite; foreign keys not validated on PostgreSQL. */
  foreignKeyViolations: number;
  votedBattles: number;
  battles: number;
  tallyCells: number;
  tallyMismatches: TallyMismatch[];
}

/** Opens an SQLite file read-only: never migrates, never writes, safe while the server runs. */
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

/**
 * Opens a database beside its server: an SQLite file read-only, a PostgreSQL database through a
 * pool of its own (neither migrated: the server did that), for `read`, then closes it. A
 * database already open is read as it is, and stays open.
 */
export async function readDatabase<T>(
  target: string | ArenaDb,
  read: (db: ArenaDb) => Promise<T>,
): Promise<T> {
  if (typeof target !== "string") return read(target);
  const db =
    dialectOf(target) === "postgres"
      ? await openDatabase(target, { migrate: false })
      : openReadOnly(databasePath(target)).db;
  try {
    return await read(db);
  } finally {
    await closeDatabase(db);
  }
}

/**
 * Reads in one snapshot, so that the tallies and the battles agree: a read transaction on SQLite
 * (its body awaits only this connection, which answers synchronously), a read-only REPEATABLE READ
 * transaction on PostgreSQL.
 */
async function inSnapshot<T>(db: ArenaDb, read: (db: ArenaDb) => Promise<T>): Promise<T> {
  const sqlite = connectionOf(db).sqlite;
  if (!sqlite) {
    const begin = db.transaction as unknown as (
      fn: (tx: ArenaDb) => Promise<T>,
      config: { isolationLevel: "repeatable read"; accessMode: "read only" },
    ) => Promise<T>;
    return begin.call(db, read, { isolationLevel: "repeatable read", accessMode: "read only" });
  }
  sqlite.exec("BEGIN");
  try {
    return await read(db);
  } finally {
    sqlite.exec("ROLLBACK");
  }
}

/**
 * PostgreSQL's counterpart of PRAGMA integrity_check: amcheck's verification of every table's
 * heap and every B-tree index (with every heap row found in it). "ok" or the first problems.
 */
async function postgresIntegrity(db: ArenaDb): Promise<string> {
  await rows(db, sql`create extension if not exists amcheck`);
  const problems: string[] = [];
  const relations = await rows<{ name: string; kind: string; btree: boolean }>(
    db,
    sql`select c.oid::regclass::text as name, c.relkind::text as kind, coalesce(a.amname = 'btree', false) as btree
        from pg_class c join pg_namespace n on n.oid = c.relnamespace left join pg_am a on a.oid = c.relam
        where n.nspname = current_schema() and c.relkind in ('r', 'i')`,
  );
  for (const r of relations) {
    try {
      if (r.kind === "r") {
        const bad = await rows<{ msg: string }>(
          db,
          sql`select msg from verify_heapam(${r.name}::regclass) limit 3`,
        );
        problems.push(...bad.map((b) => `${r.name}: ${b.msg}`));
      } else if (r.btree) {
        await rows(db, sql`select bt_index_check(${r.name}::regclass, true)`);
      }
    } catch (e) {
      problems.push(`${r.name}: ${(e as Error).message}`);
    }
  }
  return problems.length ? problems.slice(0, 5).join("; ") : "ok";
}

/** "ok" or what is wrong with the database's pages and indexes. */
async function integrityOf(db: ArenaDb): Promise<string> {
  const sqlite = connectionOf(db).sqlite;
  if (!sqlite) return postgresIntegrity(db);
  return (sqlite.pragma("integrity_check") as { integrity_check: string }[])
    .map((r) => r.integrity_check)
    .join("; ");
}

/**
 * Foreign keys: SQLite checks them only on connections that turn them on, so PRAGMA
 * foreign_key_check looks for rows that slipped through; PostgreSQL enforces a validated foreign
 * key on every row, whatever the connection, so what could let a violation exist is a key left
 * unvalidated (NOT VALID).
 */
async function foreignKeyViolations(db: ArenaDb): Promise<number> {
  const sqlite = connectionOf(db).sqlite;
  if (sqlite) return (sqlite.pragma("foreign_key_check") as unknown[]).length;
  const [row] = await rows<{ n: number }>(
    db,
    sql`select count(*)::int as n from pg_constraint
        where contype = 'f' and not convalidated and connamespace = current_schema()::regnamespace`,
  );
  return row?.n ?? 0;
}

const live = eq(battles.source, "live");

export async function checkDatabase(target: string): Promise<DbReport> {
  return readDatabase(target, async (db) => {
    // before the read-only snapshot: amcheck's extension may have to be created
    const integrity = await integrityOf(db);
    return inSnapshot(db, async (tx) => {
      const stored: TallyRow[] = await tx
        .select({
          category: tallies.category,
          modelAId: tallies.modelAId,
          modelBId: tallies.modelBId,
          winsA: tallies.winsA,
          winsB: tallies.winsB,
          ties: tallies.ties,
          bothBad: tallies.bothBad,
        })
        .from(tallies);
      const tallyMismatches = compareTallies(stored, await talliesFromBattles(tx));
      const [counts] = await tx
        .select({ voted: count(battles.winner), total: count() })
        .from(battles)
        .where(live);
      return {
        integrity,
        foreignKeyViolations: await foreignKeyViolations(tx),
        votedBattles: counts?.voted ?? 0,
        battles: counts?.total ?? 0,
        tallyCells: stored.length,
        tallyMismatches,
      };
    });
  });
}

/** The recorded winner of each battle id (null when the battle has no vote, absent when no row). */
export async function battleWinners(
  target: string | ArenaDb,
  ids: string[],
): Promise<Map<string, string | null>> {
  return readDatabase(target, async (db) => {
    const out = new Map<string, string | null>();
    // in slices: both databases cap the parameters of one statement
    for (let i = 0; i < ids.length; i += 500) {
      const found = await db
        .select({ id: battles.id, winner: battles.winner })
        .from(battles)
        .where(inArray(battles.id, ids.slice(i, i + 500)));
      for (const r of found) out.set(r.id, r.winner);
    }
    return out;
  });
}

/** Voted battles in the database (live votes only, not imported ones). */
export async function countVotedBattles(target: string | ArenaDb): Promise<number> {
  return readDatabase(target, async (db) => {
    const [row] = await db
      .select({ n: count() })
      .from(battles)
      .where(and(isNotNull(battles.winner), live));
    return row?.n ?? 0;
  });
}

import type Database from "better-sqlite3";
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import type { Dialect } from "./dialect";
import type * as schema from "./schema";

/**
 * The app's database, on SQLite or PostgreSQL. Every query is awaited, on both: the query builders
 * are the same, and the type is SQLite's asynchronous one so that nothing can lean on
 * better-sqlite3 answering synchronously. `.all()`, `.get()`, `.run()` and `.values()` exist only
 * on SQLite and are refused by tests/portable-queries.test.ts: await the query itself, and read
 * what a write changed with `changes()` (db/rows.ts).
 */
export type ArenaDb = BaseSQLiteDatabase<"async", unknown, typeof schema>;

/** What a database knows about itself, shared by its transactions. */
export interface Connection {
  dialect: Dialect;
  /**
   * Which database this is, the same for every connection to it from any thread or pool: a
   * SQLite file's path, or PostgreSQL's server and database name. Undefined for an in-memory
   * SQLite database, which only its one connection sees.
   */
  database?: string;
  /** The better-sqlite3 handle (SQLite only): pragmas, checkpoints. */
  sqlite?: Database.Database;
  close(): Promise<void>;
}

const CONNECTION = Symbol.for("arena.connection");
type Tagged = { [CONNECTION]?: Connection };

/** The connection `db` (or a transaction on it) runs on. */
export function connectionOf(db: ArenaDb): Connection {
  const c = (db as Tagged)[CONNECTION];
  if (!c) throw new Error("not an Arena database (opened without openDatabase)");
  return c;
}

export function dialect(db: ArenaDb): Dialect {
  return connectionOf(db).dialect;
}

/**
 * One object per database, the same for the database and any transaction on it: what caches
 * derived from the database (word lists, prepared statements, the visible-model set) key on.
 */
export function databaseKey(db: ArenaDb): object {
  return connectionOf(db);
}

export async function closeDatabase(db: ArenaDb): Promise<void> {
  await connectionOf(db).close();
}

export function tagConnection<T extends object>(db: T, connection: Connection): T {
  Object.defineProperty(db, CONNECTION, { value: connection, enumerable: false });
  return db;
}

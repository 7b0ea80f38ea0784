import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { type BetterSQLite3Database, drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { env } from "../lib/env";
import * as schema from "./schema";

export type ArenaDb = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export const DEFAULT_DATABASE_URL = "file:./data/arena.db";
const MIGRATIONS_DIR = path.join(process.cwd(), "db", "migrations");

/** `file:./data/arena.db`, `file:/abs/path.db`, a bare path, or `:memory:`. */
export function databasePath(url: string): string {
  if (url === ":memory:" || url === "file::memory:") return ":memory:";
  const p = url.startsWith("file:") ? url.slice("file:".length) : url;
  if (!p) throw new Error(`DATABASE_URL "${url}" names no file`);
  return path.resolve(p);
}

/**
 * Opens (creating if needed) and migrates a database. WAL lets readers run beside the single
 * writer. synchronous=NORMAL (the default) syncs the log at checkpoints rather than at every
 * commit: in WAL mode a committed vote then survives any crash of the process — the crash test
 * SIGKILLs the server under load and finds every acknowledged vote — and the file is never
 * corrupted, but a power cut or OS crash may roll back the last commits. FULL
 * (ARENA_DB_SYNC=full) closes that window at 0.2–2 ms of fsync per commit here, about a third
 * of the vote throughput.
 */
export function openDatabase(url: string, sync = env().ARENA_DB_SYNC): ArenaDb {
  const file = databasePath(url);
  if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma(`synchronous = ${sync === "full" ? "FULL" : "NORMAL"}`);
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  const db = drizzle(sqlite, { schema }) as ArenaDb;
  migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  return writeFirst(db);
}

/**
 * Transactions take the write lock when they begin (BEGIN IMMEDIATE) unless they ask otherwise.
 * The server has more than one connection to the file (the fit worker's, an import's), and a
 * deferred transaction that reads and then writes cannot wait for another writer: SQLite refuses
 * it at once (SQLITE_BUSY, or SQLITE_BUSY_SNAPSHOT when a commit landed since its read), where
 * an immediate one queues on busy_timeout. Measured before this: 20 of ~3,700 votes and draws
 * failed in 20 s beside the fit worker.
 */
function writeFirst(db: ArenaDb): ArenaDb {
  const begin = db.transaction.bind(db);
  db.transaction = ((fn, config) =>
    begin(fn, { behavior: "immediate", ...config })) as ArenaDb["transaction"];
  return db;
}

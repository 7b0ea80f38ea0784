import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { type BetterSQLite3Database, drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
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
 * writer. synchronous=FULL (the default) syncs the log at every commit, so an acknowledged vote
 * survives a power cut; ARENA_DB_SYNC=normal syncs only at checkpoints, which in WAL mode still
 * survives any crash of the process (the crash test kills it with SIGKILL) but may lose the last
 * commits to a power cut or OS crash — for deployments that need the throughput.
 */
export function openDatabase(url: string): ArenaDb {
  const file = databasePath(url);
  if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma(`synchronous = ${process.env.ARENA_DB_SYNC === "normal" ? "NORMAL" : "FULL"}`);
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  const db = drizzle(sqlite, { schema }) as ArenaDb;
  migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  return db;
}

import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { TransactionRollbackError } from "drizzle-orm";
import { drizzle as drizzleSqlite } from "drizzle-orm/better-sqlite3";
import { migrate as migrateSqlite } from "drizzle-orm/better-sqlite3/migrator";
import type { SQLiteTransactionConfig } from "drizzle-orm/sqlite-core";
import { env } from "../lib/env";
import { type ArenaDb, tagConnection } from "./connection";
import { dialectOf } from "./dialect";
import { migrationsFolder } from "./migrations";
import { openPostgres } from "./postgres";
import * as sqliteTables from "./schema.sqlite";

export type { ArenaDb, Connection } from "./connection";
export { closeDatabase, connectionOf, databaseKey, dialect } from "./connection";

export const DEFAULT_DATABASE_URL = "file:./data/arena.db";

/** `file:./data/arena.db`, `file:/abs/path.db`, a bare path, or `:memory:`. */
export function databasePath(url: string): string {
  if (url === ":memory:" || url === "file::memory:") return ":memory:";
  const p = url.startsWith("file:") ? url.slice("file:".length) : url;
  if (!p) throw new Error(`DATABASE_URL "${url}" names no file`);
  return path.resolve(p);
}

export interface OpenOptions {
  /** SQLite only: `normal` (the default) or `full`. */
  sync?: "normal" | "full";
  /** Apply pending migrations (the default). `false` checks that there are none instead. */
  migrate?: boolean;
}

/** Opens a database (SQLite file or PostgreSQL URL) and brings its schema up to date. */
export async function openDatabase(url: string, opts: OpenOptions = {}): Promise<ArenaDb> {
  if (dialectOf(url) === "postgres") return openPostgres(url, opts);
  return openSqlite(url, opts.sync ?? env().ARENA_DB_SYNC, opts.migrate !== false);
}

/**
 * WAL lets readers run beside the single writer. synchronous=NORMAL (the default) syncs the log
 * at checkpoints rather than at every commit: in WAL mode a committed vote then survives any crash
 * of the process — the crash test SIGKILLs the server under load and finds every acknowledged vote
 * — and the file is never corrupted, but a power cut or OS crash may roll back the last commits.
 * FULL (ARENA_DB_SYNC=full) closes that window at 0.2–2 ms of fsync per commit here, about a third
 * of the vote throughput.
 */
function openSqlite(url: string, sync: "normal" | "full", migrate: boolean): ArenaDb {
  const file = databasePath(url);
  if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma(`synchronous = ${sync === "full" ? "FULL" : "NORMAL"}`);
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  const raw = drizzleSqlite(sqlite, { schema: sqliteTables });
  if (migrate) migrateSqlite(raw, { migrationsFolder: migrationsFolder("sqlite") });
  const db = raw as unknown as ArenaDb;
  tagConnection(db, {
    dialect: "sqlite",
    database: file === ":memory:" ? undefined : file,
    sqlite,
    close: async () => {
      sqlite.close();
    },
  });
  return asyncTransactions(db, sqlite);
}

/**
 * Transactions on SQLite, awaited like PostgreSQL's. better-sqlite3 runs a statement to the end
 * before it returns, so a transaction body that awaits only the database runs in one turn of the
 * event loop and nothing else can slip into it; the body must not wait for anything else (a file,
 * the network, a timer). A body that does is a bug: it is reported (and fails the tests), since by
 * then other requests may have written on this connection inside it, and rolling back would undo
 * their acknowledged writes too. Transactions take the write lock when they begin (BEGIN
 * IMMEDIATE): the server has other connections to the file (the fit worker's, an import's), and a
 * deferred transaction that reads and then writes cannot wait for another writer — SQLite refuses
 * it at once, where an immediate one queues on busy_timeout. Nested transactions are savepoints.
 */
function asyncTransactions(db: ArenaDb, sqlite: Database.Database): ArenaDb {
  let queue: Promise<unknown> = Promise.resolve();
  const scope = (depth: number): ArenaDb => {
    const tx = Object.create(db) as ArenaDb & { rollback(): never };
    tx.rollback = () => {
      throw new TransactionRollbackError();
    };
    tx.transaction = (<T>(fn: (inner: ArenaDb) => Promise<T>) =>
      savepoint(depth + 1, fn)) as ArenaDb["transaction"];
    return tx;
  };
  const savepoint = async <T>(depth: number, fn: (tx: ArenaDb) => Promise<T>): Promise<T> => {
    const name = `arena_sp${depth}`;
    sqlite.exec(`SAVEPOINT ${name}`);
    try {
      const out = await fn(scope(depth));
      sqlite.exec(`RELEASE ${name}`);
      return out;
    } catch (e) {
      sqlite.exec(`ROLLBACK TO ${name}`);
      sqlite.exec(`RELEASE ${name}`);
      throw e;
    }
  };
  const top = async <T>(fn: (tx: ArenaDb) => Promise<T>, config?: SQLiteTransactionConfig) => {
    sqlite.exec(config?.behavior === "deferred" ? "BEGIN" : "BEGIN IMMEDIATE");
    let yielded = false;
    const probe = setImmediate(() => {
      yielded = true;
    });
    let out: T;
    try {
      out = await fn(scope(0));
      sqlite.exec("COMMIT");
    } catch (e) {
      if (sqlite.inTransaction) sqlite.exec("ROLLBACK");
      throw e;
    } finally {
      clearImmediate(probe);
      if (yielded) reportYield();
    }
    return out;
  };
  db.transaction = (<T>(fn: (tx: ArenaDb) => Promise<T>, config?: SQLiteTransactionConfig) => {
    // Queued behind a transaction that yielded (a bug, reported), never interleaved with it.
    const run = queue.then(() => top(fn, config));
    queue = run.catch(() => undefined);
    return run;
  }) as ArenaDb["transaction"];
  return db;
}

function reportYield(): void {
  const e = new Error(
    "an SQLite transaction waited on something other than the database (see db/client.ts)",
  );
  if (process.env.VITEST) throw e;
  console.error(e);
}

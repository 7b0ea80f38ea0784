import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import type { OpenOptions } from "./client";
import { type ArenaDb, type Connection, tagConnection } from "./connection";
import { databaseError } from "./errors";
import { migrationsFolder } from "./migrations";
import * as pgTables from "./schema.pg";

/** Any fixed number: the advisory lock under which one process migrates while the others wait. */
const MIGRATION_LOCK = 7_411_902_331;

// int8 (counts, sums of integers, epoch milliseconds) and numeric (sums) arrive as strings by
// default; every value the arena stores in them is far below 2^53. Set on the driver itself:
// drizzle's queries pass their own type table, which falls back to the driver's.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

/** Connections per process: votes hold one for a few milliseconds. */
function poolSize(): number {
  const n = Number(process.env.ARENA_PG_POOL ?? 10);
  return Number.isInteger(n) && n > 0 ? n : 10;
}

/**
 * A pool on a PostgreSQL database, migrated. Every process opening it migrates under one advisory
 * lock: the first applies what is pending while the others wait, then find nothing to do.
 */
export async function openPostgres(url: string, opts: OpenOptions): Promise<ArenaDb> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize() });
  // An idle client's connection dropping (a restart of the server) must not crash the process.
  pool.on("error", (e) => console.error("PostgreSQL pool:", e.message));
  if (opts.migrate !== false) await migrateUnderLock(pool);
  const db = drizzle(pool, { schema: pgTables }) as unknown as ArenaDb;
  const connection: Connection = {
    dialect: "postgres",
    database: databaseName(url),
    close: () => pool.end(),
  };
  tagConnection(db, connection);
  return tagTransactions(db, connection);
}

/** The server and database a URL names, whatever its user, password and options. */
function databaseName(url: string): string {
  const u = new URL(url);
  return `postgres://${u.hostname}:${u.port || 5432}${u.pathname}`;
}

async function migrateUnderLock(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK]);
    try {
      await migrate(drizzle(client), { migrationsFolder: migrationsFolder("postgres") });
    } finally {
      await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}

/** How often a transaction PostgreSQL aborted to break a deadlock is run again. */
const DEADLOCK_RETRIES = 3;

/**
 * Whether PostgreSQL aborted the transaction only to let another go on (a deadlock, or a
 * serialization failure): running it again is the documented remedy, and is safe because a
 * transaction's body waits on nothing but the database (db/client.ts).
 */
function mayRunAgain(e: unknown): boolean {
  const code = (databaseError(e) as { code?: unknown } | undefined)?.code;
  return code === "40P01" || code === "40001";
}

/**
 * A transaction (and any nested in it) answers connectionOf() like its database; a top-level one
 * that PostgreSQL aborted to break a deadlock runs again, after a short random pause, so two
 * writers that met in opposite orders both complete instead of one answering 500. A nested one
 * (a savepoint) is not retried alone: the whole transaction is.
 */
function tagTransactions<T extends object>(db: T, connection: Connection, nested = false): T {
  const target = db as { transaction: (fn: (tx: unknown) => unknown, config?: unknown) => unknown };
  const begin = target.transaction.bind(db);
  const once = (fn: (tx: unknown) => unknown, config?: unknown) =>
    begin(
      (tx) => fn(tagTransactions(tagConnection(tx as object, connection), connection, true)),
      config,
    );
  target.transaction = nested
    ? once
    : async (fn, config) => {
        for (let attempt = 0; ; attempt++) {
          try {
            return await once(fn, config);
          } catch (e) {
            if (attempt >= DEADLOCK_RETRIES || !mayRunAgain(e)) throw e;
            await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * (attempt + 1)));
          }
        }
      };
  return db;
}

import { type SQL, sql } from "drizzle-orm";
import { type ArenaDb, dialect } from "./connection";

/**
 * What the two drivers answer differ only in shape; these read them the same way. Raw SQL goes
 * through drizzle's `sql` template, which writes each dialect's placeholders.
 */

/** How many rows an awaited insert, update or delete (without `.returning()`) wrote. */
export function changes(result: unknown): number {
  const r = result as { changes?: number; rowCount?: number | null };
  return r.changes ?? r.rowCount ?? 0;
}

/** The rows of a raw query, as objects keyed by column name. */
export async function rows<T>(db: ArenaDb, query: SQL): Promise<T[]> {
  if (dialect(db) === "sqlite") return (await db.all(query)) as T[];
  const result = (await (db as unknown as { execute(q: SQL): Promise<{ rows: T[] }> }).execute(
    query,
  )) as { rows: T[] };
  return result.rows;
}

/** The first row of a query, or undefined. */
export async function first<T>(query: PromiseLike<T[]>): Promise<T | undefined> {
  return (await query)[0];
}

/** Runs a raw statement; how many rows it wrote. */
export async function execute(db: ArenaDb, query: SQL): Promise<number> {
  if (dialect(db) === "sqlite") return changes(await db.run(query));
  return changes(
    await (db as unknown as { execute(q: SQL): Promise<{ rowCount: number | null }> }).execute(
      query,
    ),
  );
}

/**
 * Serialises the transactions that name `key` until they end: what a count-then-write (a rate
 * limit, the new-voter admission) needs to hold under concurrency. SQLite transactions already
 * hold the database's one write lock from their first statement (BEGIN IMMEDIATE); PostgreSQL's
 * read-committed transactions do not, so they take a transaction-scoped advisory lock on the key.
 * `shared`: transactions that only read what the exclusive holders write (a vote checking its
 * voter's exclusion) run side by side, but never beside an exclusive holder.
 */
export async function lockKey(
  tx: ArenaDb,
  key: string,
  mode: "exclusive" | "shared" = "exclusive",
): Promise<void> {
  if (dialect(tx) === "sqlite") return;
  if (mode === "shared")
    await rows(tx, sql`select pg_advisory_xact_lock_shared(hashtextextended(${key}, 0))`);
  else await rows(tx, sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
}

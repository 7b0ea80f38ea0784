/** Shared helpers for the benchmarks: a seeded PRNG, percentiles of sorted samples, bulk inserts. */
import type { InferInsertModel } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import type { ArenaDb } from "../db/client";

export { seededRng } from "../tests/helpers/rng";

export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] as number;
}

/**
 * Inserts `rows` into `table`, `perStatement` rows per statement: how the benchmarks build their
 * datasets through drizzle, on either database, at a fraction of the cost of one row per statement.
 */
export async function insertRows<T extends SQLiteTable>(
  db: ArenaDb,
  table: T,
  rows: InferInsertModel<T>[],
  perStatement = 500,
): Promise<void> {
  for (let i = 0; i < rows.length; i += perStatement)
    await db.insert(table).values(rows.slice(i, i + perStatement) as never);
}

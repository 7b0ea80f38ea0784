import type { ArenaDb } from "@/db/client";

const cache = new WeakMap<object, Map<string, unknown>>();

/**
 * A prepared statement built once per database connection. The vote path runs a dozen queries;
 * building and preparing each one afresh costs more than executing it, so the hot paths keep
 * theirs. Statements are bound to the connection, so they also run inside its transactions.
 */
export function prepared<T>(db: ArenaDb, key: string, build: () => T): T {
  let statements = cache.get(db.$client);
  if (!statements) {
    statements = new Map();
    cache.set(db.$client, statements);
  }
  let statement = statements.get(key) as T | undefined;
  if (statement === undefined) {
    statement = build();
    statements.set(key, statement);
  }
  return statement;
}

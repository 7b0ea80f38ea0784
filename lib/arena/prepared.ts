import { type ArenaDb, databaseKey, dialect } from "@/db/client";

const cache = new WeakMap<object, Map<string, unknown>>();

/**
 * Prepared statements built once per database. The vote path runs a dozen queries; building and
 * preparing each one afresh costs more than executing it, so the hot paths keep theirs. On SQLite
 * a statement is bound to the one connection, so it also runs inside that connection's
 * transactions; on PostgreSQL it is bound to what built it (the pool, or one transaction's
 * client), so a transaction builds its own: pass the transaction, not the database.
 */
export function prepared<T>(db: ArenaDb, key: string, build: () => T): T {
  const owner = dialect(db) === "sqlite" ? databaseKey(db) : db;
  let statements = cache.get(owner);
  if (!statements) {
    statements = new Map();
    cache.set(owner, statements);
  }
  let statement = statements.get(key) as T | undefined;
  if (statement === undefined) {
    statement = build();
    statements.set(key, statement);
  }
  return statement;
}

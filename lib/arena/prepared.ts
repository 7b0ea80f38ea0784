import { is } from "drizzle-orm";
import { PgPreparedQuery } from "drizzle-orm/pg-core";
import { type ArenaDb, databaseKey, dialect } from "@/db/client";

const cache = new WeakMap<object, Map<string, unknown>>();

function cached<T>(owner: object, key: string, build: () => T): T {
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

/**
 * Prepared statements built once per database. The vote path runs a dozen queries; building and
 * preparing each one afresh costs more than executing it, so the hot paths keep theirs. On SQLite
 * a statement is bound to the one connection, so it also runs inside that connection's
 * transactions. On PostgreSQL a statement runs on the client it was built with (the pool, or one
 * transaction's connection), and every transaction is a new object: keyed on it, every vote
 * rebuilt its statements (~20% of a vote's CPU). So they are built once per database and handed
 * out rebound to the caller's client (the pool, or the pooled connection a transaction holds:
 * long-lived, so that is done once per connection too). Pass the transaction, not the database,
 * inside one. A group holding anything but statements stays keyed on the caller.
 */
export function prepared<T>(db: ArenaDb, key: string, build: () => T): T {
  if (dialect(db) === "sqlite") return cached(databaseKey(db), key, build);
  const client = clientOf(db);
  const mine = cache.get(client)?.get(key);
  if (mine !== undefined) return mine as T;
  const statements = rebound(cached(databaseKey(db), key, build), client) as T | undefined;
  if (statements === undefined) return cached(db, key, build);
  return cached(client, key, () => statements);
}

/** The pool, or the connection a transaction runs on (drizzle's session holds it). */
function clientOf(db: ArenaDb): object {
  return (db as unknown as { session: { client: object } }).session.client;
}

/**
 * `value` with each statement in it running on `client`: a statement inherits everything from
 * the built one but its client; a plain object of statements is rebound member by member.
 * Undefined when it holds anything else.
 */
function rebound(value: unknown, client: object): unknown {
  if (is(value, PgPreparedQuery)) return Object.assign(Object.create(value) as object, { client });
  if (typeof value !== "object" || value === null) return undefined;
  if (Object.getPrototypeOf(value) !== Object.prototype) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const r = rebound(v, client);
    if (r === undefined) return undefined;
    out[k] = r;
  }
  return out;
}

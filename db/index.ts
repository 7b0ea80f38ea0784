import "server-only";
import { env } from "@/lib/env";
import { type ArenaDb, openDatabase } from "./client";

export type { ArenaDb } from "./client";

/**
 * One per process, however many times Next bundles this module (route handlers, the fast path,
 * page rendering each load their own copy): one connection (or pool), and one set of the caches
 * that lib/arena keys on it.
 */
const INSTANCE = Symbol.for("arena.db");

/**
 * The app's database, opened lazily on first use so that `next build` never touches it, and
 * migrated. Opening does nothing else: what a server does once at start (the demo set, rolling
 * back an interrupted import, the fit worker) is lib/arena/start-up.ts and instrumentation.ts.
 */
export function getDb(): Promise<ArenaDb> {
  const store = globalThis as { [INSTANCE]?: Promise<ArenaDb> };
  store[INSTANCE] ??= openDatabase(env().DATABASE_URL);
  return store[INSTANCE];
}

import "server-only";
import { env } from "@/lib/env";
import { type ArenaDb, openDatabase } from "./client";

export type { ArenaDb } from "./client";

let instance: ArenaDb | undefined;

/**
 * The app's database, opened lazily on first use so that `next build` never touches it, and
 * migrated. Opening does nothing else: what a server does once at start (the demo set, rolling
 * back an interrupted import) is lib/arena/start-up.ts, called from instrumentation.ts.
 */
export function getDb(): ArenaDb {
  instance ??= openDatabase(env().DATABASE_URL);
  return instance;
}

import "server-only";
import { env } from "@/lib/env";
import { type ArenaDb, openDatabase } from "./client";
import { seedDemoDataIfEmpty } from "./seed";

export type { ArenaDb } from "./client";

let instance: ArenaDb | undefined;

/**
 * The app's database, opened lazily on first use so that `next build` never touches it, then
 * migrated and, when it holds no prompts at all, loaded with the demo set.
 */
export function getDb(): ArenaDb {
  if (!instance) {
    const db = openDatabase(env().DATABASE_URL);
    if (env().ARENA_DEMO_DATA) seedDemoDataIfEmpty(db);
    instance = db;
  }
  return instance;
}

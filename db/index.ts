import "server-only";
import { seedDemoDataIfEmpty } from "@/lib/arena/demo-data";
import { startImportRecovery } from "@/lib/arena/import-cleanup";
import { env } from "@/lib/env";
import { type ArenaDb, openDatabase } from "./client";

export type { ArenaDb } from "./client";

let instance: ArenaDb | undefined;

/**
 * The app's database, opened lazily on first use so that `next build` never touches it, then
 * migrated and, when it holds no prompts at all, loaded with the demo set. Its start-up step:
 * rolling back, in the background, any import a crashed process left `running` (its rows are
 * invisible meanwhile; see lib/arena/import-visibility.ts).
 */
export function getDb(): ArenaDb {
  if (!instance) {
    const db = openDatabase(env().DATABASE_URL);
    if (env().ARENA_DEMO_DATA) seedDemoDataIfEmpty(db);
    startImportRecovery(db);
    instance = db;
  }
  return instance;
}

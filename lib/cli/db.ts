import { type ArenaDb, openDatabase } from "@/db/client";
import { env } from "@/lib/env";

/** The app's database for a CLI command: the same DATABASE_URL and migrations as the server. */
export function cliDb(): Promise<ArenaDb> {
  return openDatabase(env().DATABASE_URL);
}

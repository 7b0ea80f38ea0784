import type { ArenaDb } from "@/db/client";
import type { CatalogCounts } from "./catalog";
import { seedDemoDataIfEmpty } from "./demo-data";
import { startImportRecovery } from "./import-cleanup";
import { warmImportWorker } from "./import-thread";
import { startLeakVerdicts } from "./leak-verdicts";

/**
 * What a server does once when it starts, before it answers anyone (instrumentation.ts): load
 * the demo set into a database that has no prompts (unless the operator said no), then roll back
 * in the background any import a crashed process left `running` (its rows stay invisible
 * meanwhile; see import-visibility.ts), decide the identity-leak verdicts the migration left
 * undecided or a model change made stale (lib/arena/leak-verdicts.ts), and start the import
 * worker thread, so the first import does not wait for it. A step of its own rather than a side
 * effect of opening
 * the database, so the CLI, the scripts and the tests get exactly the database they open.
 * Returns what the demo set added, or null when nothing was loaded.
 */
export async function startArena(
  db: ArenaDb,
  opts: { demoData: boolean },
): Promise<CatalogCounts | null> {
  const seeded = opts.demoData ? await seedDemoDataIfEmpty(db) : null;
  await startImportRecovery(db);
  await startLeakVerdicts(db);
  warmImportWorker();
  return seeded;
}

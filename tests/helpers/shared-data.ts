/**
 * The real LMSYS files some tests read in place from ../shared/data, beside the repository (CI
 * has it; a contributor's clone usually does not). A test that needs one skips when it is absent
 * and says so once on the console, so a green run without the data is not mistaken for coverage.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const SHARED_DATA_DIR = fileURLToPath(new URL("../../../shared/data", import.meta.url));

const warned = new Set<string>();

/** The file's absolute path, and whether it is there (warning once per file when it is not). */
export function sharedDataFile(name: string): { path: string; present: boolean } {
  const file = path.join(SHARED_DATA_DIR, name);
  const present = existsSync(file);
  if (!present && !warned.has(file)) {
    warned.add(file);
    console.warn(`real-data tests skipped: ${file} not found (see README, "Testing")`);
  }
  return { path: file, present };
}

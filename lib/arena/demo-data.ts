import fs from "node:fs";
import path from "node:path";
import type { ArenaDb } from "@/db/client";
import { lockKey } from "@/db/rows";
import { addPromptItems, type CatalogCounts, countPrompts } from "@/lib/arena/catalog";
import { DEMO_SOURCE } from "@/lib/arena/demo-set";
import { parseModelInfos, promptRecordSchema, promptRecordToItem } from "@/lib/import/prompt-set";

const DEMO_DIR = path.join(process.cwd(), "db", "seed", "demo");

function readJsonFile(file: string): unknown {
  return JSON.parse(fs.readFileSync(/*turbopackIgnore: true*/ file, "utf8"));
}

/**
 * The demo set written for this project: models.json plus every prompts-*.json beside it, in
 * the same record format an admin imports, so the seed exercises the real import path.
 */
export function loadDemoData(dir = DEMO_DIR) {
  const models = parseModelInfos(
    readJsonFile(path.join(/*turbopackIgnore: true*/ dir, "models.json")),
  );
  const files = fs
    .readdirSync(/*turbopackIgnore: true*/ dir)
    .filter((f) => /^prompts-.*\.json$/.test(f))
    .sort();
  const items = files.flatMap((file) => {
    const records = readJsonFile(path.join(/*turbopackIgnore: true*/ dir, file));
    if (!Array.isArray(records))
      throw new Error(`${file}: expected a JSON array of prompt records`);
    return records.map((r, i) => {
      const parsed = promptRecordSchema.safeParse(r);
      if (!parsed.success) {
        throw new Error(`${file} record ${i}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
      }
      return promptRecordToItem(parsed.data);
    });
  });
  return { models, items };
}

/** Its prompts are tagged DEMO_SOURCE, by which lib/arena/demo-set.ts finds (and removes) the set. */
export async function seedDemoData(db: ArenaDb): Promise<CatalogCounts> {
  const { models, items } = loadDemoData();
  return addPromptItems(db, items, { source: DEMO_SOURCE, models });
}

/**
 * Only a database with no prompts at all gets the demo: an admin's data is never mixed in. The
 * processes of a deployment start together, so the emptiness is checked again under a lock in
 * the transaction that loads the set: one of them loads it, the others find it there.
 */
export async function seedDemoDataIfEmpty(db: ArenaDb): Promise<CatalogCounts | null> {
  if ((await countPrompts(db)) > 0) return null;
  // read before the transaction, which waits on nothing but the database
  const { models, items } = loadDemoData();
  return db.transaction(async (tx) => {
    await lockKey(tx, "demo-data");
    if ((await countPrompts(tx)) > 0) return null;
    return addPromptItems(tx, items, { source: DEMO_SOURCE, models });
  });
}

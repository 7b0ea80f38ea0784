import { eq } from "drizzle-orm";
import { type ArenaDb, openDatabase } from "@/db/client";
import { models } from "@/db/schema";
import { addPromptItems } from "@/lib/arena/catalog";
import type { PromptItem } from "@/lib/import/types";
import { freshPostgresUrl, trackTestDatabase } from "./postgres";

/**
 * A fresh, migrated, empty database: in memory on SQLite; a new database on the PostgreSQL
 * server DATABASE_URL names when the suite runs on PostgreSQL.
 */
export async function testDb(): Promise<ArenaDb> {
  const pg = await freshPostgresUrl();
  if (!pg) return openDatabase(":memory:");
  return trackTestDatabase(pg, await openDatabase(pg));
}

/** `n` prompts, each answered by every one of `modelSlugs` unless `answeredBy` says otherwise. */
export async function seedPrompts(
  db: ArenaDb,
  n: number,
  modelSlugs: string[],
  opts: {
    answeredBy?: (i: number) => string[];
    text?: (i: number) => string;
    tags?: string[];
  } = {},
): Promise<void> {
  const items: PromptItem[] = Array.from({ length: n }, (_, i) => ({
    turns: [opts.text?.(i) ?? `Prompt number ${i}: tell me something interesting.`],
    language: "en",
    tags: opts.tags,
    responses: (opts.answeredBy?.(i) ?? modelSlugs).map((m) => ({
      model: m,
      // Never the slug itself: that would make every battle an identity leak.
      text: `Answer by model number ${modelSlugs.indexOf(m)} to prompt ${i}`,
    })),
  }));
  await addPromptItems(db, items, { source: "test" });
}

export async function modelId(db: ArenaDb, slug: string): Promise<number> {
  const [row] = await db.select({ id: models.id }).from(models).where(eq(models.slug, slug));
  if (!row) throw new Error(`no model ${slug}`);
  return row.id;
}

export { seededRng } from "./rng";

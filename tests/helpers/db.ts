import { eq } from "drizzle-orm";
import { type ArenaDb, openDatabase } from "@/db/client";
import { models } from "@/db/schema";
import { addPromptItems } from "@/lib/arena/catalog";
import type { PromptItem } from "@/lib/import/types";

/** A fresh, migrated, empty in-memory database. */
export function testDb(): ArenaDb {
  return openDatabase(":memory:");
}

/** `n` prompts, each answered by every one of `modelSlugs` unless `answeredBy` says otherwise. */
export function seedPrompts(
  db: ArenaDb,
  n: number,
  modelSlugs: string[],
  opts: {
    answeredBy?: (i: number) => string[];
    text?: (i: number) => string;
    tags?: string[];
  } = {},
): void {
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
  addPromptItems(db, items, { source: "test" });
}

export function modelId(db: ArenaDb, slug: string): number {
  const row = db.select({ id: models.id }).from(models).where(eq(models.slug, slug)).get();
  if (!row) throw new Error(`no model ${slug}`);
  return row.id;
}

export { seededRng } from "./rng";

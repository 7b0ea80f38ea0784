import { count, eq, inArray } from "drizzle-orm";
import type { ArenaDb } from "@/db/client";
import { models, promptCategories, prompts, responses } from "@/db/schema";
import { styleFeatures } from "@/lib/ranking/style-features";
import { classifyPrompt, detectLanguage } from "./categories";
import { normalizeText, promptContentHash } from "./content-hash";

export interface ModelInfo {
  slug: string;
  displayName?: string;
  organization?: string;
  license?: string;
  link?: string | null;
}

/** One prompt and the responses some models gave to it, as every importer produces them. */
export interface PromptItem {
  externalId?: string;
  turns: string[];
  language?: string;
  tags?: string[];
  responses: { model: string; text: string }[];
}

export interface CatalogCounts {
  prompts: number;
  responses: number;
  models: number;
}

/** `my-model-7b` → `My Model 7B`: a readable default an admin can edit later. */
export function defaultDisplayName(slug: string): string {
  return slug
    .split(/[-_\s]+/)
    .filter(Boolean)
    .map((w) => (/^\d+[a-z]$/i.test(w) ? w.toUpperCase() : w[0]?.toUpperCase() + w.slice(1)))
    .join(" ");
}

/** Ids for the given model slugs, creating the unknown ones. Call inside a transaction. */
export function ensureModels(
  db: ArenaDb,
  infos: ModelInfo[],
): { ids: Map<string, number>; created: number } {
  const slugs = [...new Set(infos.map((m) => m.slug))];
  const ids = new Map<string, number>();
  let created = 0;
  if (slugs.length === 0) return { ids, created };
  for (const row of db
    .select({ id: models.id, slug: models.slug })
    .from(models)
    .where(inArray(models.slug, slugs))
    .all()) {
    ids.set(row.slug, row.id);
  }
  for (const info of infos) {
    if (ids.has(info.slug)) continue;
    const row = db
      .insert(models)
      .values({
        slug: info.slug,
        displayName: info.displayName ?? defaultDisplayName(info.slug),
        organization: info.organization ?? "",
        license: info.license ?? "",
        link: info.link ?? null,
      })
      .returning({ id: models.id })
      .get();
    ids.set(info.slug, row.id);
    created++;
  }
  return { ids, created };
}

/**
 * Stores prompts with their responses in one transaction: all or nothing. A prompt already
 * present (same content hash) is reused, and a model's existing response to it is kept, so
 * importing the same content twice adds nothing.
 */
export function addPromptItems(
  db: ArenaDb,
  items: PromptItem[],
  opts: { source: string; models?: ModelInfo[] },
): CatalogCounts {
  return db.transaction(() => {
    const known = opts.models ?? [];
    const bySlug = new Map(known.map((m) => [m.slug, m]));
    const wanted = new Set(items.flatMap((i) => i.responses.map((r) => r.model)));
    const { ids: modelIds, created } = ensureModels(db, [
      ...known,
      ...[...wanted].filter((s) => !bySlug.has(s)).map((slug) => ({ slug })),
    ]);
    const counts: CatalogCounts = { prompts: 0, responses: 0, models: created };

    for (const item of items) {
      const turns = item.turns.map(normalizeText);
      const text = turns[0] ?? "";
      const hash = promptContentHash(turns);
      let promptId = db
        .select({ id: prompts.id })
        .from(prompts)
        .where(eq(prompts.contentHash, hash))
        .get()?.id;
      if (promptId === undefined) {
        const language = item.language ?? detectLanguage(turns.join("\n"));
        promptId = db
          .insert(prompts)
          .values({
            externalId: item.externalId ?? null,
            text,
            turns: turns.length > 1 ? turns : null,
            language,
            contentHash: hash,
            source: opts.source,
          })
          .returning({ id: prompts.id })
          .get().id;
        const categories = classifyPrompt({ text: turns.join("\n\n"), language, tags: item.tags });
        db.insert(promptCategories)
          .values(categories.map((category) => ({ promptId: promptId as number, category })))
          .run();
        counts.prompts++;
      }
      for (const r of item.responses) {
        const modelId = modelIds.get(r.model);
        if (modelId === undefined) throw new Error(`model ${r.model} was not created`);
        const inserted = db
          .insert(responses)
          .values({ promptId, modelId, text: r.text, style: styleFeatures(r.text) })
          .onConflictDoNothing()
          .run();
        counts.responses += inserted.changes;
      }
    }
    return counts;
  });
}

export function countPrompts(db: ArenaDb): number {
  return db.select({ n: count() }).from(prompts).get()?.n ?? 0;
}

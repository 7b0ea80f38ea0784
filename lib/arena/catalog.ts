import { count, eq, inArray, sql } from "drizzle-orm";
import type { ArenaDb } from "@/db/client";
import { models, promptCategories, prompts, responses } from "@/db/schema";
import { styleFeatures } from "@/lib/ranking/style-features";
import { classifyPrompt, detectLanguage } from "./categories";
import { normalizeText, promptContentHash } from "./content-hash";
import { prepared } from "./prepared";

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

const p = sql.placeholder;

function statements(db: ArenaDb) {
  return prepared(db, "catalog", () => ({
    promptByHash: db
      .select({ id: prompts.id })
      .from(prompts)
      .where(eq(prompts.contentHash, p("hash")))
      .prepare(),
    insertPrompt: db
      .insert(prompts)
      .values({
        externalId: p("externalId"),
        text: p("text"),
        turns: sql`${p("turns")}`,
        language: p("language"),
        contentHash: p("hash"),
        source: p("source"),
      })
      .returning({ id: prompts.id })
      .prepare(),
    insertCategory: db
      .insert(promptCategories)
      .values({ promptId: p("promptId"), category: p("category") })
      .onConflictDoNothing()
      .prepare(),
    insertResponse: db
      .insert(responses)
      .values({
        promptId: p("promptId"),
        modelId: p("modelId"),
        text: p("text"),
        style: sql`${p("style")}`,
      })
      .onConflictDoNothing()
      .prepare(),
  }));
}

/**
 * Stores prompts with their responses in one transaction: all or nothing. A prompt already
 * present (same content hash) is reused, and a model's existing response to it is kept, so
 * importing the same content twice adds nothing. Returns the counts of new rows and, for each
 * item, the id of its prompt.
 */
export function addPromptItems(
  db: ArenaDb,
  items: PromptItem[],
  opts: { source: string; models?: ModelInfo[] },
): CatalogCounts & { promptIds: number[] } {
  const s = statements(db);
  return db.transaction(() => {
    const known = opts.models ?? [];
    const bySlug = new Map(known.map((m) => [m.slug, m]));
    const wanted = new Set(items.flatMap((i) => i.responses.map((r) => r.model)));
    const { ids: modelIds, created } = ensureModels(db, [
      ...known,
      ...[...wanted].filter((slug) => !bySlug.has(slug)).map((slug) => ({ slug })),
    ]);
    const counts = { prompts: 0, responses: 0, models: created };
    const promptIds: number[] = [];
    for (const item of items) {
      const turns = item.turns.map(normalizeText);
      const hash = promptContentHash(turns);
      let promptId = s.promptByHash.get({ hash })?.id;
      if (promptId === undefined) {
        const language = item.language ?? detectLanguage(turns.join("\n"));
        promptId = (
          s.insertPrompt.get({
            externalId: item.externalId ?? null,
            text: turns[0] ?? "",
            turns: turns.length > 1 ? JSON.stringify(turns) : null,
            language,
            hash,
            source: opts.source,
          }) as { id: number }
        ).id;
        for (const category of classifyPrompt({
          text: turns.join("\n\n"),
          language,
          tags: item.tags,
        })) {
          s.insertCategory.run({ promptId, category });
        }
        counts.prompts++;
      }
      promptIds.push(promptId);
      for (const r of item.responses) {
        const modelId = modelIds.get(r.model);
        if (modelId === undefined) throw new Error(`model ${r.model} was not created`);
        const style = JSON.stringify(styleFeatures(r.text));
        counts.responses += s.insertResponse.run({
          promptId,
          modelId,
          text: r.text,
          style,
        }).changes;
      }
    }
    return { ...counts, promptIds };
  });
}

export function countPrompts(db: ArenaDb): number {
  return db.select({ n: count() }).from(prompts).get()?.n ?? 0;
}

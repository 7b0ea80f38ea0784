import { count, eq, inArray, sql } from "drizzle-orm";
import type { ArenaDb } from "@/db/client";
import { changes, first } from "@/db/rows";
import { models, promptCategories, prompts, responses } from "@/db/schema";
import { normalizeText, promptContentHash } from "@/lib/import/content-hash";
import type { ModelInfo, PromptItem } from "@/lib/import/types";
import { styleFeatures } from "@/lib/ranking/style-features";
import { classifyPrompt, detectLanguage } from "./categories";
import { decideLeak, promptLeakText } from "./leak-verdicts";
import { modelDisplayName, modelOrganization } from "./model-names";
import { prepared } from "./prepared";

export interface CatalogCounts {
  prompts: number;
  responses: number;
  models: number;
}

/**
 * The source of the stand-in prompts an import of votes without text creates: they carry exactly
 * the file's categories, which reclassifying leaves alone (their text is a label, not a prompt).
 */
export const PLACEHOLDER_SOURCE = "import-votes";

/** Where a write comes from: its `source` label and, for an import, the import's id (see import-visibility.ts). */
export interface WriteTag {
  source: string;
  importId?: number;
}

/**
 * Ids for the given model slugs, creating the unknown ones (tagged with `importId`, so a failed
 * import takes them away again) with a readable name and maker unless given. A model that exists
 * is never renamed: an admin's edit stays. Call inside a transaction.
 */
export async function ensureModels(
  db: ArenaDb,
  infos: ModelInfo[],
  opts: { importId?: number } = {},
): Promise<{ ids: Map<string, number>; created: number }> {
  const slugs = [...new Set(infos.map((m) => m.slug))];
  const ids = new Map<string, number>();
  let created = 0;
  if (slugs.length === 0) return { ids, created };
  for (const row of await db
    .select({ id: models.id, slug: models.slug })
    .from(models)
    .where(inArray(models.slug, slugs))) {
    ids.set(row.slug, row.id);
  }
  for (const info of infos) {
    if (ids.has(info.slug)) continue;
    const [row] = await db
      .insert(models)
      .values({
        slug: info.slug,
        displayName: info.displayName ?? modelDisplayName(info.slug),
        organization: info.organization ?? modelOrganization(info.slug),
        license: info.license ?? "",
        link: info.link ?? null,
        importId: opts.importId ?? null,
      })
      .returning({ id: models.id });
    if (!row) throw new Error(`model ${info.slug} was not created`);
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
        importId: p("importId"),
        leakWords: sql`${p("leakWords")}`,
        leakList: p("leakList"),
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
        importId: p("importId"),
        pending: sql`${p("pending")}`,
        leakWords: sql`${p("leakWords")}`,
        leakList: p("leakList"),
      })
      .onConflictDoNothing()
      .prepare(),
  }));
}

/** The normalised turns of a prompt and the hash that deduplicates it. */
export function promptKey(item: Pick<PromptItem, "turns">): { turns: string[]; hash: string } {
  const turns = item.turns.map(normalizeText);
  return { turns, hash: promptContentHash(turns) };
}

/**
 * The prompt with this content, stored with its categories (its tags, language and the
 * classifier's reading) when it is new. Call inside a transaction.
 */
export async function findOrAddPrompt(
  db: ArenaDb,
  item: Omit<PromptItem, "responses">,
  tag: WriteTag,
): Promise<{ id: number; created: boolean }> {
  const s = statements(db);
  const { turns, hash } = promptKey(item);
  const existing = (await s.promptByHash.execute({ hash }))[0]?.id;
  if (existing !== undefined) return { id: existing, created: false };
  const language = item.language ?? detectLanguage(turns.join("\n"));
  const leak = await decideLeak(db, promptLeakText({ text: turns[0] ?? "", turns }));
  const [inserted] = await s.insertPrompt.execute({
    externalId: item.externalId ?? null,
    text: turns[0] ?? "",
    turns: turns.length > 1 ? JSON.stringify(turns) : null,
    language,
    hash,
    source: tag.source,
    importId: tag.importId ?? null,
    leakWords: JSON.stringify(leak.leakWords),
    leakList: leak.leakList,
  });
  if (!inserted) throw new Error("the prompt was not stored");
  const { id } = inserted;
  for (const category of classifyPrompt({ turns, language, tags: item.tags })) {
    await s.insertCategory.execute({ promptId: id, category });
  }
  return { id, created: true };
}

/**
 * A model's response to a prompt, unless that model already answered it: true when added. An
 * import adds its responses `pending`, never drawn until the import is done. Its identity-leak
 * verdict is decided here and stored with it (lib/arena/leak-verdicts.ts).
 */
export async function addResponse(
  db: ArenaDb,
  r: { promptId: number; modelId: number; text: string },
  opts: { importId?: number; pending?: boolean } = {},
): Promise<boolean> {
  const leak = await decideLeak(db, r.text);
  return (
    changes(
      await statements(db).insertResponse.execute({
        ...r,
        style: JSON.stringify(styleFeatures(r.text)),
        leakWords: JSON.stringify(leak.leakWords),
        leakList: leak.leakList,
        importId: opts.importId ?? null,
        pending: opts.pending ? 1 : 0,
      }),
    ) === 1
  );
}

/**
 * Stores prompts with their responses in one transaction: all or nothing. A prompt already
 * present (same content hash) is reused, and a model's existing response to it is kept, so
 * storing the same content twice adds nothing. Returns the counts of new rows and, for each
 * item, the id of its prompt. For the demo set and tests; admin imports go through
 * lib/arena/imports.ts, which writes in short batches.
 */
export async function addPromptItems(
  db: ArenaDb,
  items: PromptItem[],
  opts: { source: string; models?: ModelInfo[] },
): Promise<CatalogCounts & { promptIds: number[] }> {
  return db.transaction(async (tx) => {
    const known = opts.models ?? [];
    const bySlug = new Map(known.map((m) => [m.slug, m]));
    const wanted = new Set(items.flatMap((i) => i.responses.map((r) => r.model)));
    const { ids: modelIds, created } = await ensureModels(tx, [
      ...known,
      ...[...wanted].filter((slug) => !bySlug.has(slug)).map((slug) => ({ slug })),
    ]);
    const counts = { prompts: 0, responses: 0, models: created };
    const promptIds: number[] = [];
    for (const item of items) {
      const prompt = await findOrAddPrompt(tx, item, { source: opts.source });
      if (prompt.created) counts.prompts++;
      promptIds.push(prompt.id);
      for (const r of item.responses) {
        const modelId = modelIds.get(r.model);
        if (modelId === undefined) throw new Error(`model ${r.model} was not created`);
        if (await addResponse(tx, { promptId: prompt.id, modelId, text: r.text }))
          counts.responses++;
      }
    }
    return { ...counts, promptIds };
  });
}

export async function countPrompts(db: ArenaDb): Promise<number> {
  return (await first(db.select({ n: count() }).from(prompts)))?.n ?? 0;
}

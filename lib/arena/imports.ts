import { eq, sql } from "drizzle-orm";
import type { ArenaDb } from "@/db/client";
import { battles, imports, promptCategories, prompts, type Winner } from "@/db/schema";
import type { HistoricalVote, ImportFormat, ParsedImport } from "@/lib/import/parse";
import { addPromptItems, ensureModels } from "./catalog";
import { categorySlug, OVERALL } from "./categories";
import { prepared } from "./prepared";
import { addToTallies } from "./tallies";

export interface ImportSummary {
  format: ImportFormat;
  dryRun: boolean;
  records: number;
  imported: { prompts: number; responses: number; models: number; votes: number };
  /** Records already present (same content) or repeated within the file. */
  skipped: number;
  errors: { message: string; line?: number; record?: number; field?: string }[];
}

class DryRunRollback extends Error {
  constructor(readonly summary: ImportSummary) {
    super("dry run");
  }
}

const p = sql.placeholder;

/**
 * Writes a parsed file in one transaction — prompts, responses, new models, historical votes
 * and their tallies — or nothing at all. A dry run does the same work and rolls it back, so its
 * counts are exactly what a real import would add.
 */
export function writeImport(
  db: ArenaDb,
  parsed: ParsedImport,
  opts: { source: string; fileName?: string; dryRun?: boolean; userEmail?: string; now?: Date },
): ImportSummary {
  try {
    return db.transaction(() => {
      const catalog = addPromptItems(db, parsed.items, { source: opts.source });
      const votes = writeVotes(db, parsed.votes, catalog.promptIds, opts.now ?? new Date());
      const promptRecords = parsed.items.length;
      const summary: ImportSummary = {
        format: parsed.format,
        dryRun: !!opts.dryRun,
        records: parsed.records,
        imported: {
          prompts: catalog.prompts,
          responses: catalog.responses,
          models: catalog.models + votes.models,
          votes: votes.added,
        },
        skipped:
          parsed.skipped +
          (parsed.format === "votes" ? 0 : countUnchanged(catalog, promptRecords, parsed)) +
          votes.existing,
        errors: [],
      };
      if (opts.dryRun) throw new DryRunRollback(summary);
      db.insert(imports)
        .values({
          fileName: opts.fileName ?? null,
          format: parsed.format,
          summary,
          userEmail: opts.userEmail ?? null,
        })
        .run();
      return summary;
    });
  } catch (e) {
    if (e instanceof DryRunRollback) return e.summary;
    throw e;
  }
}

/** Prompt records that added neither a prompt nor a response were already in the database. */
function countUnchanged(
  catalog: { prompts: number; responses: number },
  records: number,
  parsed: ParsedImport,
): number {
  if (parsed.format === "battles" && parsed.votes.length > 0) return 0;
  return catalog.prompts === 0 && catalog.responses === 0 ? records : 0;
}

function statements(db: ArenaDb) {
  return prepared(db, "imports", () => ({
    insertBattle: db
      .insert(battles)
      .values({
        id: p("id"),
        promptId: p("promptId"),
        modelAId: p("modelAId"),
        modelBId: p("modelBId"),
        voterId: p("voterId"),
        createdAt: sql`${p("at")}`,
        votedAt: sql`${p("at")}`,
        winner: sql`${p("winner")}`,
        source: "import",
        identityLeak: sql`${p("identityLeak")}`,
        excluded: sql`${p("excluded")}`,
      })
      .onConflictDoNothing()
      .prepare(),
    categoriesOf: db
      .select({ category: promptCategories.category })
      .from(promptCategories)
      .where(eq(promptCategories.promptId, p("promptId")))
      .prepare(),
  }));
}

/**
 * Votes become battles with the file's record key in their id, so importing a file again
 * adds nothing. Votes without text hang off one disabled placeholder prompt per category set,
 * which keeps every battle's categories where recompute finds them and is never drawn.
 */
function writeVotes(db: ArenaDb, votes: HistoricalVote[], promptIds: number[], now: Date) {
  if (votes.length === 0) return { added: 0, existing: 0, models: 0 };
  const s = statements(db);
  const { ids: modelIds, created } = ensureModels(
    db,
    [...new Set(votes.flatMap((v) => [v.modelA, v.modelB]))].map((slug) => ({ slug })),
  );
  const placeholders = new Map<string, number>();
  const categoriesCache = new Map<number, string[]>();
  const counted = new Map<
    string,
    { category: string; modelAId: number; modelBId: number; winner: Winner; n: number }
  >();
  let added = 0;
  for (const v of votes) {
    const promptId =
      v.item !== undefined
        ? (promptIds[v.item] as number)
        : placeholderPrompt(db, v.categories ?? [], placeholders);
    const modelAId = modelIds.get(v.modelA) as number;
    const modelBId = modelIds.get(v.modelB) as number;
    // FastChat leaves out votes cast with the names shown; so do we, keeping them marked.
    const excluded = v.excluded === true || v.anony === false;
    const identityLeak = v.identityLeak === true;
    const at = v.tstamp ?? now.getTime();
    const inserted = s.insertBattle.run({
      id: `imp_${v.key}`,
      promptId,
      modelAId,
      modelBId,
      voterId: `import:${v.judge ?? "anonymous"}`,
      at,
      winner: v.winner,
      identityLeak: identityLeak ? 1 : 0,
      excluded: excluded ? 1 : 0,
    }).changes;
    if (inserted === 0) continue;
    added++;
    if (excluded || identityLeak) continue;
    let categories = categoriesCache.get(promptId);
    if (!categories) {
      categories = s.categoriesOf.all({ promptId }).map((r) => r.category);
      categoriesCache.set(promptId, categories);
    }
    for (const category of [OVERALL, ...categories]) {
      const key = `${category}\u0000${modelAId}\u0000${modelBId}\u0000${v.winner}`;
      const cell = counted.get(key);
      if (cell) cell.n++;
      else counted.set(key, { category, modelAId, modelBId, winner: v.winner, n: 1 });
    }
  }
  addToTallies(db, [...counted.values()]);
  return { added, existing: votes.length - added, models: created };
}

function placeholderPrompt(db: ArenaDb, categories: string[], cache: Map<string, number>): number {
  const slugs = [...new Set(categories.map(categorySlug).filter((c) => c && c !== OVERALL))].sort();
  const key = slugs.join(",");
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const text = `(historical votes imported without text${slugs.length ? `: ${slugs.join(", ")}` : ""})`;
  const { promptIds } = addPromptItems(
    db,
    [{ turns: [text], language: "und", tags: slugs, responses: [] }],
    { source: "import-votes" },
  );
  const id = promptIds[0] as number;
  // Placeholders carry exactly the file's categories, not the classifier's reading of the label.
  db.update(prompts).set({ disabled: true }).where(eq(prompts.id, id)).run();
  db.delete(promptCategories).where(eq(promptCategories.promptId, id)).run();
  for (const category of slugs)
    db.insert(promptCategories).values({ promptId: id, category }).run();
  cache.set(key, id);
  return id;
}

/**
 * The order in which a parsed file is written — new models, then prompts with their responses,
 * then historical votes — in slices of a few milliseconds with a yield to the event loop after
 * each. Where the rows go is the store's business: LiveStore writes them tagged and pending (one
 * short transaction per slice), DryStore only looks up what exists, so a dry run counts exactly
 * what the real import would add.
 */
import type { Winner } from "@/db/schema";
import type { ParsedImport } from "@/lib/import/parse";
import { isExcludedVote } from "@/lib/import/ranking-input";
import type { PromptItem } from "@/lib/import/types";
import { pacer, SLICE_MS, sliceDeadline, yieldToEventLoop } from "@/lib/time-slices";
import { categorySlug, OVERALL } from "./categories";
import type { ImportProgress } from "./import-runs";
import type { TallyCell } from "./tallies";

export interface ImportedBattle {
  id: string;
  promptId: number;
  modelAId: number;
  modelBId: number;
  voterId: string;
  at: number;
  winner: Winner;
  identityLeak: boolean;
  excluded: boolean;
}

export interface ImportStore {
  /** Runs one slice of work: a short write transaction, or plain reads for a dry run. */
  slice<T>(progress: ImportProgress, work: () => T): T;
  models(slugs: string[]): { ids: Map<string, number>; created: number };
  prompt(item: Omit<PromptItem, "responses">): { id: number; created: boolean };
  /** True when the model had no response to this prompt yet. */
  response(promptId: number, modelId: number, text: string): boolean;
  /** The disabled prompt that carries votes without text with exactly these categories. */
  placeholder(text: string, categories: string[]): number;
  /** True when no battle has this id yet. */
  battle(b: ImportedBattle): boolean;
  categoriesOf(promptId: number): string[];
}

export interface WriteOptions {
  /** How long one slice may run (default SLICE_MS). */
  sliceMs?: number;
  /** Runs after every slice, before the yield: progress reports, and tests looking in between. */
  onBatch?: (progress: ImportProgress) => void | Promise<void>;
  /** The time of votes whose record has none. */
  now?: Date;
}

export interface WrittenCounts {
  prompts: number;
  responses: number;
  models: number;
  votes: { added: number; existing: number };
  /** The new counted votes, per category × ordered model pair × outcome, for the tallies. */
  cells: TallyCell[];
}

/** Calls `step(i)` for i in [0, total) in slices, each a store slice; yields after each. */
async function inSlices(
  phase: ImportProgress["phase"],
  total: number,
  store: ImportStore,
  opts: WriteOptions,
  step: (i: number) => void,
): Promise<void> {
  let done = 0;
  while (done < total) {
    const deadline = sliceDeadline(opts.sliceMs ?? SLICE_MS);
    done = store.slice({ phase, done, total }, () => {
      let i = done;
      do step(i++);
      while (i < total && !deadline.past());
      return i;
    });
    await opts.onBatch?.({ phase, done, total });
    await yieldToEventLoop();
  }
}

export async function writeRecords(
  parsed: ParsedImport,
  store: ImportStore,
  opts: WriteOptions = {},
): Promise<WrittenCounts> {
  const counts: WrittenCounts = {
    prompts: 0,
    responses: 0,
    models: 0,
    votes: { added: 0, existing: 0 },
    cells: [],
  };

  const slugs = await modelSlugs(parsed, opts);
  let modelIds = new Map<string, number>();
  await inSlices("models", slugs.length > 0 ? 1 : 0, store, opts, () => {
    const m = store.models(slugs);
    modelIds = m.ids;
    counts.models = m.created;
  });
  const modelId = (slug: string) => {
    const id = modelIds.get(slug);
    if (id === undefined) throw new Error(`model ${slug} was not created`);
    return id;
  };

  const promptIds: number[] = [];
  await inSlices("prompts", parsed.items.length, store, opts, (i) => {
    const item = parsed.items[i] as PromptItem;
    const prompt = store.prompt(item);
    if (prompt.created) counts.prompts++;
    promptIds[i] = prompt.id;
    for (const r of item.responses) {
      if (store.response(prompt.id, modelId(r.model), r.text)) counts.responses++;
    }
  });

  const placeholders = new Map<string, number>();
  const categoriesCache = new Map<number, string[]>();
  const cells = new Map<string, TallyCell>();
  const now = (opts.now ?? new Date()).getTime();
  await inSlices("votes", parsed.votes.length, store, opts, (i) => {
    const v = parsed.votes[i] as ParsedImport["votes"][number];
    const promptId =
      v.item !== undefined
        ? (promptIds[v.item] as number)
        : placeholderFor(store, v.categories ?? [], placeholders);
    const modelAId = modelId(v.modelA);
    const modelBId = modelId(v.modelB);
    // FastChat leaves out votes cast with the names shown; so do we, keeping them marked.
    const excluded = isExcludedVote(v);
    const identityLeak = v.identityLeak === true;
    const added = store.battle({
      // the record's key in the id: importing the file again adds nothing
      id: `imp_${v.key}`,
      promptId,
      modelAId,
      modelBId,
      voterId: `import:${v.judge ?? "anonymous"}`,
      at: v.tstamp ?? now,
      winner: v.winner,
      identityLeak,
      excluded,
    });
    if (!added) {
      counts.votes.existing++;
      return;
    }
    counts.votes.added++;
    if (excluded || identityLeak) return;
    let categories = categoriesCache.get(promptId);
    if (!categories) {
      categories = store.categoriesOf(promptId);
      categoriesCache.set(promptId, categories);
    }
    for (const category of [OVERALL, ...categories]) {
      const key = `${category}\u0000${modelAId}\u0000${modelBId}\u0000${v.winner}`;
      const cell = cells.get(key);
      if (cell) cell.n++;
      else cells.set(key, { category, modelAId, modelBId, winner: v.winner, n: 1 });
    }
  });
  counts.cells = [...cells.values()];
  return counts;
}

/** Every model the file names. Paced: over a million votes this alone took a second. */
async function modelSlugs(parsed: ParsedImport, opts: WriteOptions): Promise<string[]> {
  const slugs = new Set<string>();
  const pause = pacer(opts.sliceMs ?? SLICE_MS);
  for (const item of parsed.items) {
    for (const r of item.responses) slugs.add(r.model);
    const due = pause.pace();
    if (due) await due;
  }
  for (const v of parsed.votes) {
    slugs.add(v.modelA);
    slugs.add(v.modelB);
    const due = pause.pace();
    if (due) await due;
  }
  return [...slugs];
}

/**
 * Votes without text hang off one disabled placeholder prompt per category set, which keeps
 * every battle's categories where recompute finds them and is never drawn.
 */
function placeholderFor(
  store: ImportStore,
  categories: string[],
  cache: Map<string, number>,
): number {
  const slugs = [...new Set(categories.map(categorySlug).filter((c) => c && c !== OVERALL))].sort();
  const key = slugs.join(",");
  let id = cache.get(key);
  if (id === undefined) {
    const text = `(historical votes imported without text${slugs.length ? `: ${slugs.join(", ")}` : ""})`;
    id = store.placeholder(text, slugs);
    cache.set(key, id);
  }
  return id;
}

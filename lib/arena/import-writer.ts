/**
 * The order in which a parsed file is written — new models, then batch by batch its prompts with
 * their responses and its historical votes — in slices of a few milliseconds with a yield to the event loop after
 * each. Where the rows go is the store's business: LiveStore writes them tagged and pending (one
 * short transaction per slice), DryStore only looks up what exists, so a dry run counts exactly
 * what the real import would add.
 */
import type { Winner } from "@/db/schema";
import type { HistoricalVote, ImportBatch } from "@/lib/import/parse";
import { isExcludedVote } from "@/lib/import/ranking-input";
import type { PromptItem } from "@/lib/import/types";
import { SLICE_MS, sliceDeadline, yieldToEventLoop } from "@/lib/time-slices";
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
  /**
   * Runs one slice of work: a short write transaction, or plain reads for a dry run. The other
   * methods are called only inside `work`, which awaits nothing but them (a transaction's body
   * waits for the database only: see db/client.ts).
   */
  slice<T>(progress: ImportProgress, work: () => Promise<T>): Promise<T>;
  models(slugs: string[]): Promise<{ ids: Map<string, number>; created: number }>;
  prompt(item: Omit<PromptItem, "responses">): Promise<{ id: number; created: boolean }>;
  /** True when the model had no response to this prompt yet. */
  response(promptId: number, modelId: number, text: string): Promise<boolean>;
  /** The disabled prompt that carries votes without text with exactly these categories. */
  placeholder(text: string, categories: string[]): Promise<number>;
  /** True when no battle has this id yet. */
  battle(b: ImportedBattle): Promise<boolean>;
  categoriesOf(promptId: number): Promise<string[]>;
}

export interface WriteOptions {
  /** How long one slice may run (default SLICE_MS). */
  sliceMs?: number;
  /** Runs after every slice, before the yield: progress reports, and tests looking in between. */
  onBatch?: (progress: ImportProgress) => void | Promise<void>;
  /** The time of votes whose record has none. */
  now?: Date;
  /**
   * Waits between slices (default: one turn of the event loop). In a worker thread it must
   * last long enough for the main thread, waiting in SQLite's busy handler, to get the lock.
   */
  pause?: () => Promise<void>;
}

export interface WrittenCounts {
  prompts: number;
  responses: number;
  models: number;
  votes: { added: number; existing: number };
  /** The new counted votes, per category × ordered model pair × outcome, for the tallies. */
  cells: TallyCell[];
}

/**
 * Calls `step(i)` for i in [0, n) in slices, each a store slice, reporting progress as `done`
 * (before this call) + i of `total`; after each slice, `opts.onBatch` and a pause.
 */
async function inSlices(
  phase: ImportProgress["phase"],
  n: number,
  at: { done: number; total: number },
  store: ImportStore,
  opts: WriteOptions,
  step: (i: number) => Promise<void>,
): Promise<void> {
  let done = 0;
  while (done < n) {
    const deadline = sliceDeadline(opts.sliceMs ?? SLICE_MS);
    done = await store.slice({ phase, done: at.done + done, total: at.total }, async () => {
      let i = done;
      do await step(i++);
      while (i < n && !deadline.past());
      return i;
    });
    const progress = { phase, done: at.done + done, total: at.total };
    await opts.onBatch?.(progress);
    await (opts.pause ?? yieldToEventLoop)();
  }
}

/** Every model a batch names, in order of first appearance. */
export function modelSlugsOf(batch: ImportBatch, into = new Set<string>()): Set<string> {
  for (const item of batch.items) for (const r of item.responses) into.add(r.model);
  for (const v of batch.votes) {
    into.add(v.modelA);
    into.add(v.modelB);
  }
  return into;
}

/**
 * Writes a file batch by batch, in file order, keeping what later batches need (model and
 * placeholder ids, prompts' categories, the tally cells, the counts) and nothing of the
 * batches themselves: memory does not grow with the file, except by the distinct prompts.
 */
export class RecordWriter {
  private readonly counts: WrittenCounts = {
    prompts: 0,
    responses: 0,
    models: 0,
    votes: { added: 0, existing: 0 },
    cells: [],
  };
  private modelIds = new Map<string, number>();
  private readonly placeholders = new Map<string, number>();
  private readonly categoriesCache = new Map<number, string[]>();
  private readonly cells = new Map<string, TallyCell>();
  private readonly now: number;
  private itemsDone = 0;
  private votesDone = 0;

  constructor(
    private readonly store: ImportStore,
    private readonly opts: WriteOptions,
    /** Items and votes in the whole file, for progress reports. */
    private readonly totals: { items: number; votes: number },
  ) {
    this.now = (opts.now ?? new Date()).getTime();
  }

  /** Creates every model the file names, at once, before any batch. */
  async models(slugs: string[]): Promise<void> {
    await inSlices(
      "models",
      slugs.length > 0 ? 1 : 0,
      { done: 0, total: 1 },
      this.store,
      this.opts,
      async () => {
        const m = await this.store.models(slugs);
        this.modelIds = m.ids;
        this.counts.models = m.created;
      },
    );
  }

  private modelId(slug: string): number {
    const id = this.modelIds.get(slug);
    if (id === undefined) throw new Error(`model ${slug} was not created`);
    return id;
  }

  /** Writes one batch: its prompts with their responses, then its votes. */
  async write(batch: ImportBatch): Promise<void> {
    const { store, opts, counts } = this;
    const promptIds: number[] = [];
    await inSlices(
      "prompts",
      batch.items.length,
      { done: this.itemsDone, total: this.totals.items },
      store,
      opts,
      async (i) => {
        const item = batch.items[i] as PromptItem;
        const prompt = await store.prompt(item);
        if (prompt.created) counts.prompts++;
        promptIds[i] = prompt.id;
        for (const r of item.responses) {
          if (await store.response(prompt.id, this.modelId(r.model), r.text)) counts.responses++;
        }
      },
    );
    this.itemsDone += batch.items.length;
    await inSlices(
      "votes",
      batch.votes.length,
      { done: this.votesDone, total: this.totals.votes },
      store,
      opts,
      (i) => this.vote(batch.votes[i] as HistoricalVote, promptIds),
    );
    this.votesDone += batch.votes.length;
  }

  private async vote(v: HistoricalVote, promptIds: number[]): Promise<void> {
    const { store, counts } = this;
    const promptId =
      v.item !== undefined
        ? (promptIds[v.item] as number)
        : await placeholderFor(store, v.categories ?? [], this.placeholders);
    const modelAId = this.modelId(v.modelA);
    const modelBId = this.modelId(v.modelB);
    // FastChat leaves out votes cast with the names shown; so do we, keeping them marked.
    const excluded = isExcludedVote(v);
    const identityLeak = v.identityLeak === true;
    const added = await store.battle({
      // the record's key in the id: importing the file again adds nothing
      id: `imp_${v.key}`,
      promptId,
      modelAId,
      modelBId,
      voterId: `import:${v.judge ?? "anonymous"}`,
      at: v.tstamp ?? this.now,
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
    let categories = this.categoriesCache.get(promptId);
    if (!categories) {
      categories = await store.categoriesOf(promptId);
      this.categoriesCache.set(promptId, categories);
    }
    for (const category of [OVERALL, ...categories]) {
      const key = `${category}\u0000${modelAId}\u0000${modelBId}\u0000${v.winner}`;
      const cell = this.cells.get(key);
      if (cell) cell.n++;
      else this.cells.set(key, { category, modelAId, modelBId, winner: v.winner, n: 1 });
    }
  }

  /** What was written so far, with the tally cells of every counted vote. */
  written(): WrittenCounts {
    return { ...this.counts, cells: [...this.cells.values()] };
  }
}

/**
 * Votes without text hang off one disabled placeholder prompt per category set, which keeps
 * every battle's categories where recompute finds them and is never drawn.
 */
async function placeholderFor(
  store: ImportStore,
  categories: string[],
  cache: Map<string, number>,
): Promise<number> {
  const slugs = [...new Set(categories.map(categorySlug).filter((c) => c && c !== OVERALL))].sort();
  const key = slugs.join(",");
  let id = cache.get(key);
  if (id === undefined) {
    const text = `(historical votes imported without text${slugs.length ? `: ${slugs.join(", ")}` : ""})`;
    id = await store.placeholder(text, slugs);
    cache.set(key, id);
  }
  return id;
}

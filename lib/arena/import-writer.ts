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
  /**
   * Writes the battles that are new (no battle has their id yet), in one statement however many:
   * a round trip per vote would bound an import by the database's latency (PostgreSQL). Resolves
   * with the ids it added. Every vote of a file has its own id (lib/import/types.ts).
   */
  battles(bs: ImportedBattle[]): Promise<Set<string>>;
  categoriesOf(promptId: number): Promise<string[]>;
}

export interface WriteOptions {
  /**
   * How long one slice may run (default SLICE_MS). 0 makes every slice write the least it can,
   * one record (a vote too, not VOTE_CHUNK of them): for tests that look between records.
   */
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
  await inChunks(phase, n, 1, at, store, opts, (lo) => step(lo));
}

/** inSlices over runs of up to `size` items: `step(lo, hi)` writes items [lo, hi) at once. */
async function inChunks(
  phase: ImportProgress["phase"],
  n: number,
  size: number,
  at: { done: number; total: number },
  store: ImportStore,
  opts: WriteOptions,
  step: (lo: number, hi: number) => Promise<void>,
): Promise<void> {
  let done = 0;
  while (done < n) {
    const deadline = sliceDeadline(opts.sliceMs ?? SLICE_MS);
    done = await store.slice({ phase, done: at.done + done, total: at.total }, async () => {
      let i = done;
      do {
        const hi = Math.min(n, i + size);
        await step(i, hi);
        i = hi;
      } while (i < n && !deadline.past());
      return i;
    });
    const progress = { phase, done: at.done + done, total: at.total };
    await opts.onBatch?.(progress);
    await (opts.pause ?? yieldToEventLoop)();
  }
}

/**
 * Votes written per statement. 500 keeps a statement's parameters (12 a vote) far below either
 * database's limit and a slice's transaction short, while the per-statement cost is spread thin.
 */
const VOTE_CHUNK = 500;

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
    await inChunks(
      "votes",
      batch.votes.length,
      opts.sliceMs === 0 ? 1 : VOTE_CHUNK,
      { done: this.votesDone, total: this.totals.votes },
      store,
      opts,
      (lo, hi) => this.votes(batch.votes.slice(lo, hi), promptIds),
    );
    this.votesDone += batch.votes.length;
  }

  private async votes(vs: HistoricalVote[], promptIds: number[]): Promise<void> {
    const { store, counts } = this;
    const rows: ImportedBattle[] = [];
    for (const v of vs) {
      rows.push({
        // the record's key in the id: importing the file again adds nothing
        id: `imp_${v.key}`,
        promptId:
          v.item !== undefined
            ? (promptIds[v.item] as number)
            : await placeholderFor(store, v.categories ?? [], this.placeholders),
        modelAId: this.modelId(v.modelA),
        modelBId: this.modelId(v.modelB),
        voterId: `import:${v.judge ?? "anonymous"}`,
        at: v.tstamp ?? this.now,
        winner: v.winner,
        identityLeak: v.identityLeak === true,
        // FastChat leaves out votes cast with the names shown; so do we, keeping them marked.
        excluded: isExcludedVote(v),
      });
    }
    const added = await store.battles(rows);
    for (const b of rows) {
      if (!added.has(b.id)) {
        counts.votes.existing++;
        continue;
      }
      counts.votes.added++;
      if (b.excluded || b.identityLeak) continue;
      let categories = this.categoriesCache.get(b.promptId);
      if (!categories) {
        categories = await store.categoriesOf(b.promptId);
        this.categoriesCache.set(b.promptId, categories);
      }
      for (const category of [OVERALL, ...categories]) {
        const key = `${category}\u0000${b.modelAId}\u0000${b.modelBId}\u0000${b.winner}`;
        const cell = this.cells.get(key);
        if (cell) cell.n++;
        else {
          const { modelAId, modelBId, winner } = b;
          this.cells.set(key, { category, modelAId, modelBId, winner, n: 1 });
        }
      }
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

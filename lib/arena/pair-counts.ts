import { eq, sql } from "drizzle-orm";
import { type ArenaDb, databaseKey } from "@/db/client";
import { tallies } from "@/db/schema";
import { OVERALL } from "./categories";
import { prepared } from "./prepared";
import { bulkTallyChanges, talliesVersion } from "./tallies";

/**
 * Overall votes per unordered model pair, for matchmaking, held in memory: a vote cast here
 * updates it in place, and a bulk change made here (an import, an exclusion, a recompute) makes
 * it reload, so on one process it is exactly in step with the tallies at the cost of one version
 * read per battle. Votes through other processes (or the import's thread) move the version too;
 * following each would reload the ~31,000 pairs of 250 models at every draw once several
 * processes share the database, so those are caught up at most once a second: a pair's count may
 * lag by the votes of that second, which does not tilt which pair is least voted.
 *
 * The counts sit in a dense square matrix over the models' slots (both halves kept): a pair's
 * count is one array read. For the few model sets matchmaking draws from (usually one: every
 * visible model answered every prompt) it also keeps the fewest votes of any pair in the set,
 * updated by each vote, so a draw need not look at all ~31,000 pairs of 250 models to know it.
 */
/** The least-voted pairs of one model set: their count, and how many pairs have it. */
interface SetMinimum {
  member: Uint8Array;
  slots: Int32Array;
  fewest: number;
  atFewest: number;
  /** False once a vote took the last pair off the minimum: recounted when next asked. */
  valid: boolean;
}

/** Model sets whose minimum is kept; more distinct sets than this are recounted in turn. */
const KEPT_SETS = 8;

export class PairTable {
  /** Row-major, `stride` × `stride`, symmetric: `counts[slot(x) * stride + slot(y)]`. */
  counts: Float64Array;
  stride: number;
  private readonly slots = new Map<number, number>();
  private readonly minima = new Map<string, SetMinimum>();

  constructor(
    public version: number,
    /** bulkTallyChanges() when loaded, and when, to know when to load again. */
    readonly bulk = 0,
    readonly loadedAt = 0,
  ) {
    this.stride = 64;
    this.counts = new Float64Array(this.stride * this.stride);
  }

  /** The model's row and column, given on first sight (the matrix grows when full). */
  slot(id: number): number {
    let s = this.slots.get(id);
    if (s === undefined) {
      s = this.slots.size;
      if (s >= this.stride) this.grow(this.stride * 2);
      this.slots.set(id, s);
    }
    return s;
  }

  count(x: number, y: number): number {
    return this.counts[this.slot(x) * this.stride + this.slot(y)] as number;
  }

  add(x: number, y: number, n: number): void {
    const a = this.slot(x);
    const b = this.slot(y);
    const before = this.counts[a * this.stride + b] as number;
    this.counts[a * this.stride + b] = before + n;
    this.counts[b * this.stride + a] = before + n;
    for (const m of this.minima.values()) {
      if (m.valid && m.member[a] && m.member[b] && before === m.fewest && --m.atFewest === 0)
        m.valid = false;
    }
  }

  /**
   * The fewest votes of any pair among the models in `slots` (`key` names the set): kept per
   * set and followed through votes, so recounted (all pairs) only when a vote lifted the last
   * pair off the minimum, about once per pair count's worth of votes.
   */
  fewestAmong(key: string, slots: Int32Array): number {
    let m = this.minima.get(key);
    if (!m) {
      if (this.minima.size >= KEPT_SETS)
        this.minima.delete(this.minima.keys().next().value as string);
      const member = new Uint8Array(this.stride);
      for (const s of slots) member[s] = 1;
      m = { member, slots, fewest: 0, atFewest: 0, valid: false };
      this.minima.set(key, m);
    }
    if (!m.valid) {
      let fewest = Number.POSITIVE_INFINITY;
      let at = 0;
      const k = m.slots.length;
      for (let i = 0; i < k; i++) {
        const row = (m.slots[i] as number) * this.stride;
        for (let j = i + 1; j < k; j++) {
          const v = this.counts[row + (m.slots[j] as number)] as number;
          if (v < fewest) {
            fewest = v;
            at = 1;
          } else if (v === fewest) at++;
        }
      }
      m.fewest = fewest;
      m.atFewest = at;
      m.valid = true;
    }
    return m.fewest;
  }

  private grow(stride: number): void {
    const counts = new Float64Array(stride * stride);
    for (let i = 0; i < this.stride; i++)
      counts.set(this.counts.subarray(i * this.stride, (i + 1) * this.stride), i * stride);
    this.counts = counts;
    this.stride = stride;
  }
}

const caches = new WeakMap<object, PairTable>();

/** How long votes cast elsewhere may go unseen (see above). */
export const FOREIGN_VOTES_LAG_MS = 1000;

/** The pair counts at the tallies' current version, or within FOREIGN_VOTES_LAG_MS of it. */
export async function pairTable(db: ArenaDb, now = Date.now()): Promise<PairTable> {
  const version = await talliesVersion(db);
  const bulk = bulkTallyChanges(db);
  let table = caches.get(databaseKey(db));
  const fresh =
    table !== undefined &&
    (table.version === version ||
      (table.bulk === bulk && now - table.loadedAt < FOREIGN_VOTES_LAG_MS));
  if (!fresh) {
    table = new PairTable(version, bulk, now);
    const rows = await prepared(db, "pair-counts.all", () =>
      db
        .select({
          a: tallies.modelAId,
          b: tallies.modelBId,
          n: sql<number>`${tallies.winsA} + ${tallies.winsB} + ${tallies.ties} + ${tallies.bothBad}`,
        })
        .from(tallies)
        .where(eq(tallies.category, OVERALL))
        .prepare(),
    ).execute();
    for (const r of rows) table.add(r.a, r.b, r.n);
    caches.set(databaseKey(db), table);
  }
  return table as PairTable;
}

export async function overallPairCounts(db: ArenaDb): Promise<(x: number, y: number) => number> {
  const table = await pairTable(db);
  return (x, y) => table.count(x, y);
}

/** A counted vote moved the tallies from version `before` to `after`: follow it without a reload. */
export function notePairVote(
  db: ArenaDb,
  a: number,
  b: number,
  before: number,
  after: number,
): void {
  const table = caches.get(databaseKey(db));
  if (table?.version !== before) return;
  table.version = after;
  table.add(a, b, 1);
}

import { eq, sql } from "drizzle-orm";
import type { ArenaDb } from "@/db/client";
import { tallies } from "@/db/schema";
import { OVERALL } from "./categories";
import { prepared } from "./prepared";
import { talliesVersion } from "./tallies";

/**
 * Overall votes per unordered model pair, for matchmaking, held in memory and exactly in step
 * with the tallies: it is reloaded whenever the tallies version moved in a way it did not see
 * (a recompute, an import, another process), and a vote cast here updates it in place, so the
 * common case costs one version read instead of a scan of the pair tallies per battle.
 */
interface PairCache {
  version: number;
  counts: Map<number, number>;
}

const caches = new WeakMap<object, PairCache>();
const key = (x: number, y: number) => (x < y ? x * 2 ** 26 + y : y * 2 ** 26 + x);

export function overallPairCounts(db: ArenaDb): (x: number, y: number) => number {
  const version = talliesVersion(db);
  let cache = caches.get(db.$client);
  if (cache?.version !== version) {
    const counts = new Map<number, number>();
    const rows = prepared(db, "pair-counts.all", () =>
      db
        .select({
          a: tallies.modelAId,
          b: tallies.modelBId,
          n: sql<number>`${tallies.winsA} + ${tallies.winsB} + ${tallies.ties} + ${tallies.bothBad}`,
        })
        .from(tallies)
        .where(eq(tallies.category, OVERALL))
        .prepare(),
    ).all();
    for (const r of rows) counts.set(key(r.a, r.b), (counts.get(key(r.a, r.b)) ?? 0) + r.n);
    cache = { version, counts };
    caches.set(db.$client, cache);
  }
  const counts = cache.counts;
  return (x, y) => counts.get(key(x, y)) ?? 0;
}

/** A counted vote moved the tallies from version `before` to `after`: follow it without a reload. */
export function notePairVote(
  db: ArenaDb,
  a: number,
  b: number,
  before: number,
  after: number,
): void {
  const cache = caches.get(db.$client);
  if (cache?.version !== before) return;
  cache.version = after;
  cache.counts.set(key(a, b), (cache.counts.get(key(a, b)) ?? 0) + 1);
}

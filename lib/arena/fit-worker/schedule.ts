import type { ArenaDb } from "@/db/client";
import { countPrompts } from "@/lib/arena/catalog";
import { OVERALL } from "@/lib/arena/categories";
import type { LeaderboardMethod, LeaderboardSettings } from "@/lib/arena/leaderboard";
import { modelCatalog } from "@/lib/arena/leaderboard";
import {
  catalogFingerprint,
  demandSince,
  publishCategories,
  publishSnapshot,
  readPublishedCategories,
  type SnapshotHead,
  snapshotHeads,
} from "@/lib/arena/snapshots";
import { talliesVersion } from "@/lib/arena/tallies";

/** A leaderboard nobody read for this long is no longer kept fresh; the next reader wakes it. */
export const DEMAND_WINDOW_MS = 10 * 60_000;
/** The category list (a scan of the tallies) is recounted at most this often. */
export const CATEGORIES_EVERY_MS = 5_000;

export interface Step {
  category: string;
  method: LeaderboardMethod;
  /** false: the votes had not changed, only names or visibility; the stored fit was re-rendered. */
  refit: boolean;
  ms: number;
}

interface Candidate {
  category: string;
  method: LeaderboardMethod;
  head?: SnapshotHead;
}

/**
 * What the fit worker does next, decided afresh after every fit so a leaderboard being read
 * never waits behind a queue of others: among the leaderboards read within the demand window
 * (and overall with the default method, always), those whose snapshot is missing or behind
 * the tallies or the models; a missing one first, then overall (the categories' Δ column
 * depends on it), then the oldest. A snapshot younger than `maxStalenessMs` waits, so a vote
 * storm costs one fit per leaderboard per interval.
 */
export async function nextWork(
  db: ArenaDb,
  settings: LeaderboardSettings,
  defaultMethod: LeaderboardMethod,
  now = Date.now(),
): Promise<{ candidate: Candidate; refit: boolean } | undefined> {
  const version = await talliesVersion(db);
  const catalog = catalogFingerprint(await modelCatalog(db));
  const heads = new Map(
    (await snapshotHeads(db)).map((h) => [`${h.category}\u0000${h.method}`, h]),
  );
  const wanted = new Map<string, Candidate>();
  const want = (category: string, method: LeaderboardMethod) => {
    const key = `${category}\u0000${method}`;
    if (!wanted.has(key)) wanted.set(key, { category, method, head: heads.get(key) });
  };
  want(OVERALL, defaultMethod);
  for (const d of await demandSince(db, new Date(now - DEMAND_WINDOW_MS))) {
    want(d.category, d.method);
    // a category's Δ column is read off overall with the same method
    want(OVERALL, d.method);
  }
  const due = [...wanted.values()].flatMap((c) => {
    const h = c.head;
    if (!h) return [{ candidate: c, refit: true }];
    if (h.talliesVersion !== version) {
      return now - h.fittedAt >= settings.maxStalenessMs ? [{ candidate: c, refit: true }] : [];
    }
    return h.catalog !== catalog ? [{ candidate: c, refit: false }] : [];
  });
  const rank = (w: { candidate: Candidate }) =>
    w.candidate.head ? (w.candidate.category === OVERALL ? 1 : 2) : 0;
  due.sort(
    (x, y) =>
      rank(x) - rank(y) || (x.candidate.head?.fittedAt ?? 0) - (y.candidate.head?.fittedAt ?? 0),
  );
  return due[0];
}

/** One unit of the worker's work: the most urgent snapshot, published; undefined when all are fresh. */
export async function refreshOne(
  db: ArenaDb,
  settings: LeaderboardSettings,
  defaultMethod: LeaderboardMethod,
): Promise<Step | undefined> {
  const work = await nextWork(db, settings, defaultMethod);
  if (!work) return undefined;
  const t = performance.now();
  const { category, method } = work.candidate;
  await publishSnapshot(db, category, method, settings, { refit: work.refit });
  return { category, method, refit: work.refit, ms: performance.now() - t };
}

/**
 * Recounts and publishes the category list when the tallies or the prompts changed since it
 * was published, at most once per CATEGORIES_EVERY_MS. Returns whether it did.
 */
export async function refreshCategories(db: ArenaDb, now = Date.now()): Promise<boolean> {
  const published = await readPublishedCategories(db);
  if (published) {
    if (now - published.publishedAt < CATEGORIES_EVERY_MS) return false;
    const prompts = published.list[0]?.prompts;
    if (
      published.talliesVersion === (await talliesVersion(db)) &&
      prompts === (await countPrompts(db))
    )
      return false;
  }
  await publishCategories(db);
  return true;
}

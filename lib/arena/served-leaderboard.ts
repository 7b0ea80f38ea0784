import { type ArenaDb, databaseKey } from "@/db/client";
import { ArenaError } from "@/lib/errors";
import { OVERALL } from "./categories";
import { FIT_LEASE } from "./fit-worker/protocol";
import { fitWorkerStarted } from "./fit-worker/start";
import type {
  CategoryInfo,
  LeaderboardMethod,
  LeaderboardSettings,
  LeaderboardView,
} from "./leaderboard";
import { modelCatalog } from "./leaderboard";
import { leaseHolder } from "./leases";
import {
  catalogFingerprint,
  categoryExists,
  noteDemand,
  publicationCount,
  publishCategories,
  publishSnapshot,
  readPublishedCategories,
  type SnapshotHead,
  type SnapshotPart,
  snapshotHead,
  snapshotPart,
} from "./snapshots";
import { talliesVersion } from "./tallies";

/**
 * The leaderboards as requests see them: the published snapshots (snapshots.ts), read by one
 * indexed lookup of their publication number, their bytes kept in this process until a newer
 * one is published. Nothing here fits or scans the tallies while a fit worker runs somewhere in
 * the deployment; without one (ARENA_FIT_WORKER=0, a script) a stale snapshot is refitted here,
 * on the caller's thread, as the app did before there was a worker.
 */

export interface LeaderboardKey {
  category: string;
  method: LeaderboardMethod;
}

/** How long a reader waits for the first snapshot of a leaderboard the worker is computing. */
const FIRST_SNAPSHOT_WAIT_MS = 20_000;
/** A reader's interest is written at most this often per leaderboard and process. */
const DEMAND_EVERY_MS = 5_000;

interface ProcessCache {
  parts: Map<string, { seq: number; values: Map<SnapshotPart, string | Buffer> }>;
  views: Map<string, { seq: number; view: LeaderboardView }>;
  demand: Map<string, number>;
  categories?: { publishedAt: number; list: CategoryInfo[] };
}

// One per process, however many times Next loads this module (route handlers, pages): kept on
// the database's own key (one per database, shared by its transactions), not in this module.
const CACHE = Symbol.for("arena.servedLeaderboards");
function processCache(db: ArenaDb): ProcessCache {
  const store = databaseKey(db) as { [CACHE]?: ProcessCache };
  store[CACHE] ??= { parts: new Map(), views: new Map(), demand: new Map() };
  return store[CACHE];
}

const keyOf = (k: LeaderboardKey) => `${k.category}\u0000${k.method}`;

async function noteReader(db: ArenaDb, k: LeaderboardKey, now = Date.now()): Promise<void> {
  const demand = processCache(db).demand;
  const last = demand.get(keyOf(k)) ?? 0;
  if (now - last < DEMAND_EVERY_MS) return;
  demand.set(keyOf(k), now);
  await noteDemand(db, k.category, k.method, new Date(now));
}

/** Whether a fit worker serves this deployment: started in this process, or holding the lease elsewhere. */
async function workerServes(db: ArenaDb): Promise<boolean> {
  return fitWorkerStarted() || (await leaseHolder(db, FIT_LEASE)) !== undefined;
}

async function staleHere(db: ArenaDb, head: SnapshotHead, settings: LeaderboardSettings) {
  if (head.talliesVersion !== (await talliesVersion(db))) {
    return Date.now() - head.fittedAt >= settings.maxStalenessMs ? "refit" : undefined;
  }
  return head.catalog !== catalogFingerprint(await modelCatalog(db)) ? "render" : undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The head of the published snapshot a reader gets now. `wait: false` answers undefined
 * instead of waiting for a leaderboard that has none yet.
 */
export async function servedHead(
  db: ArenaDb,
  k: LeaderboardKey,
  settings: LeaderboardSettings,
): Promise<SnapshotHead>;
export async function servedHead(
  db: ArenaDb,
  k: LeaderboardKey,
  settings: LeaderboardSettings,
  opts: { wait?: boolean },
): Promise<SnapshotHead | undefined>;
export async function servedHead(
  db: ArenaDb,
  k: LeaderboardKey,
  settings: LeaderboardSettings,
  opts: { wait?: boolean } = {},
): Promise<SnapshotHead | undefined> {
  await noteReader(db, k);
  let head = await snapshotHead(db, k.category, k.method);
  if (await workerServes(db)) {
    if (head || opts.wait === false) return head;
    const until = Date.now() + FIRST_SNAPSHOT_WAIT_MS;
    while (!head && Date.now() < until) {
      await sleep(50);
      head = await snapshotHead(db, k.category, k.method);
    }
    if (!head) {
      throw new ArenaError(
        "leaderboard_pending",
        "This leaderboard is still being computed. Try again in a few seconds.",
        { headers: { "Retry-After": "5" } },
      );
    }
    return head;
  }
  const stale = head ? await staleHere(db, head, settings) : "refit";
  if (stale) {
    head = await publishSnapshot(db, k.category, k.method, settings, { refit: stale === "refit" });
  }
  return head;
}

/** One part of a published snapshot, read from the database once per process and publication. */
export async function servedPart<P extends SnapshotPart>(
  db: ArenaDb,
  head: SnapshotHead,
  part: P,
): Promise<P extends `${string}Gzip` ? Buffer : string> {
  const parts = processCache(db).parts;
  const key = keyOf(head);
  let entry = parts.get(key);
  if (!entry || entry.seq !== head.seq) {
    entry = { seq: head.seq, values: new Map() };
    parts.set(key, entry);
  }
  let value = entry.values.get(part);
  if (value === undefined) {
    // undefined when a newer snapshot replaced this one since its head was read: serve that one
    value = await snapshotPart(db, head, part);
    if (value === undefined) {
      const newer = await snapshotHead(db, head.category, head.method);
      if (!newer) throw new Error(`snapshot ${key} vanished`);
      value = await servedPart(db, newer, part);
    }
    entry.values.set(part, value);
  }
  return value as P extends `${string}Gzip` ? Buffer : string;
}

/** The view a page renders, parsed once per process and publication. Shared: do not mutate it. */
export async function servedView(
  db: ArenaDb,
  q: LeaderboardKey & { includeDeprecated?: boolean },
  settings: LeaderboardSettings,
): Promise<LeaderboardView>;
export async function servedView(
  db: ArenaDb,
  q: LeaderboardKey & { includeDeprecated?: boolean },
  settings: LeaderboardSettings,
  opts: { wait?: boolean },
): Promise<LeaderboardView | undefined>;
export async function servedView(
  db: ArenaDb,
  q: LeaderboardKey & { includeDeprecated?: boolean },
  settings: LeaderboardSettings,
  opts: { wait?: boolean } = {},
): Promise<LeaderboardView | undefined> {
  const head = await servedHead(db, q, settings, opts);
  if (!head) return undefined;
  const part = q.includeDeprecated ? "viewAll" : "view";
  const views = processCache(db).views;
  const key = `${keyOf(q)}\u0000${part}`;
  const cached = views.get(key);
  if (cached?.seq === head.seq) return cached.view;
  const view = JSON.parse(await servedPart(db, head, part)) as LeaderboardView;
  views.set(key, { seq: head.seq, view });
  return view;
}

/** What an open page polls: the publication number of its leaderboard, or of any when none is named. */
export async function servedVersion(db: ArenaDb, k?: LeaderboardKey): Promise<number> {
  if (!k) return publicationCount(db);
  await noteReader(db, k);
  return (await snapshotHead(db, k.category, k.method))?.seq ?? 0;
}

/** The category list as last published (counted here only when none was published yet). */
export async function servedCategories(db: ArenaDb): Promise<CategoryInfo[]> {
  const cache = processCache(db);
  const published = (await readPublishedCategories(db)) ?? (await publishCategories(db));
  if (cache.categories?.publishedAt !== published.publishedAt) {
    cache.categories = { publishedAt: published.publishedAt, list: published.list };
  }
  return cache.categories.list;
}

/**
 * A category a leaderboard can be asked for: listed, or newer than the list (one index probe).
 * Never counts the list itself: on a large arena that is half a second of the event loop (the
 * worker publishes it within seconds of starting).
 */
export async function isKnownCategory(db: ArenaDb, category: string): Promise<boolean> {
  return (
    category === OVERALL ||
    Boolean((await readPublishedCategories(db))?.list.some((c) => c.category === category)) ||
    (await categoryExists(db, category))
  );
}

import { createHash } from "node:crypto";
import { gunzipSync, gzipSync } from "node:zlib";
import { and, eq, gt, sql } from "drizzle-orm";
import type { ArenaDb } from "@/db/client";
import {
  counters,
  leaderboardDemand,
  leaderboardSnapshots,
  promptCategories,
  publishedCategories,
} from "@/db/schema";
import { OVERALL } from "./categories";
import {
  type CategoryInfo,
  type Fit,
  fitCategory,
  type LeaderboardMethod,
  type LeaderboardSettings,
  type LeaderboardView,
  listCategories,
  type ModelCatalog,
  modelCatalog,
  renderView,
} from "./leaderboard";
import { prepared } from "./prepared";
import { talliesVersion } from "./tallies";

/**
 * The published leaderboards (table `leaderboard_snapshots`): written by the fit worker, read by
 * every request of every process. This module is the store: building and writing a snapshot,
 * reading one back, and the small records around them (what readers asked for, the category
 * list). What is served and cached per process is served-leaderboard.ts; when and in which
 * order fits run is fit-worker/.
 */

/** Bumped once per publication: the number a page polls and the ETag of what it reads. */
const PUBLICATIONS = "leaderboard";

export interface SnapshotHead {
  category: string;
  method: LeaderboardMethod;
  seq: number;
  talliesVersion: number;
  catalog: string;
  fittedAt: number;
  publishedAt: number;
}

/** What the worker compares to decide whether a snapshot is stale: the names and flags a view shows. */
export function catalogFingerprint(catalog: ModelCatalog): string {
  const h = createHash("sha1");
  for (const m of [...catalog.values()].sort((a, b) => a.id - b.id)) {
    h.update(
      JSON.stringify([
        m.slug,
        m.displayName,
        m.organization,
        m.license,
        m.link,
        m.hidden,
        m.deprecated,
      ]),
    );
  }
  return h.digest("base64url");
}

/** A snapshot's head: what readers and the worker compare, without its (large) bodies. */
const HEAD_COLUMNS = {
  category: leaderboardSnapshots.category,
  method: leaderboardSnapshots.method,
  seq: leaderboardSnapshots.seq,
  talliesVersion: leaderboardSnapshots.talliesVersion,
  catalog: leaderboardSnapshots.catalog,
  fittedAt: leaderboardSnapshots.fittedAt,
  publishedAt: leaderboardSnapshots.publishedAt,
};

export async function snapshotHead(
  db: ArenaDb,
  category: string,
  method: LeaderboardMethod,
): Promise<SnapshotHead | undefined> {
  const [row] = await prepared(db, "snapshots.head", () =>
    db
      .select(HEAD_COLUMNS)
      .from(leaderboardSnapshots)
      .where(
        and(
          eq(leaderboardSnapshots.category, sql.placeholder("category")),
          eq(leaderboardSnapshots.method, sql.placeholder("method")),
        ),
      )
      .prepare(),
  ).execute({ category, method });
  return row && toHead(row);
}

export async function snapshotHeads(db: ArenaDb): Promise<SnapshotHead[]> {
  return (await db.select(HEAD_COLUMNS).from(leaderboardSnapshots)).map(toHead);
}

function toHead(row: {
  category: string;
  method: string;
  seq: number;
  talliesVersion: number;
  catalog: string;
  fittedAt: Date;
  publishedAt: Date;
}): SnapshotHead {
  return {
    ...row,
    method: row.method as LeaderboardMethod,
    fittedAt: row.fittedAt.getTime(),
    publishedAt: row.publishedAt.getTime(),
  };
}

/** The parts of a snapshot a reader may ask for. */
export type SnapshotPart =
  | "view"
  | "viewAll"
  | "viewGzip"
  | "viewAllGzip"
  | "pairwiseGzip"
  | "pairwiseAllGzip";

/** One part of the snapshot with publication number `seq`, or undefined when a newer one replaced it. */
export async function snapshotPart<P extends SnapshotPart>(
  db: ArenaDb,
  head: Pick<SnapshotHead, "category" | "method" | "seq">,
  part: P,
): Promise<(P extends `${string}Gzip` ? Buffer : string) | undefined> {
  const column = leaderboardSnapshots[part];
  const [row] = await db
    .select({ value: column })
    .from(leaderboardSnapshots)
    .where(
      and(
        eq(leaderboardSnapshots.category, head.category),
        eq(leaderboardSnapshots.method, head.method),
        eq(leaderboardSnapshots.seq, head.seq),
      ),
    )
    .limit(1);
  return row?.value as (P extends `${string}Gzip` ? Buffer : string) | undefined;
}

export async function snapshotFit(
  db: ArenaDb,
  category: string,
  method: LeaderboardMethod,
): Promise<Fit | undefined> {
  const [row] = await db
    .select({ fit: leaderboardSnapshots.fitGzip })
    .from(leaderboardSnapshots)
    .where(
      and(eq(leaderboardSnapshots.category, category), eq(leaderboardSnapshots.method, method)),
    )
    .limit(1);
  return row ? (JSON.parse(gunzipSync(row.fit).toString("utf8")) as Fit) : undefined;
}

/** Ranks in a view by slug: the Δ column of a category against overall. */
const ranksOf = (view: LeaderboardView) => new Map(view.rows.map((r) => [r.model, r.rank]));

const gzip = (text: string) => gzipSync(text, { level: 6 });

/**
 * Builds and publishes the snapshot of one category and method: fits the tallies as they are
 * now (warm-started from the snapshot it replaces) or, with `refit: false`, re-renders the
 * stored fit (a model was renamed or hidden; no vote changed), then writes it in one short
 * statement. The heavy part runs before the write, so the database is locked for a moment only.
 */
export async function publishSnapshot(
  db: ArenaDb,
  category: string,
  method: LeaderboardMethod,
  settings: LeaderboardSettings,
  opts: { refit?: boolean } = {},
): Promise<SnapshotHead> {
  const previous = await snapshotFit(db, category, method);
  const fit =
    opts.refit === false && previous
      ? previous
      : await fitCategory(db, category, method, settings, previous);
  const catalog = await modelCatalog(db);
  const fingerprint = catalogFingerprint(catalog);
  let overall: { shown?: Map<string, number>; all?: Map<string, number> } = {};
  if (category !== OVERALL) {
    const overallFit =
      (await snapshotFit(db, OVERALL, method)) ??
      (await fitCategory(db, OVERALL, method, settings));
    const base = { category: OVERALL, ci: method };
    overall = {
      shown: ranksOf(renderView(overallFit, catalog, base, settings)),
      all: ranksOf(renderView(overallFit, catalog, { ...base, includeDeprecated: true }, settings)),
    };
  }
  const seq = await nextPublication(db);
  const render = (includeDeprecated: boolean, fullPairwise = false) => {
    const view = renderView(
      fit,
      catalog,
      {
        category,
        ci: method,
        includeDeprecated,
        overallRanks: includeDeprecated ? overall.all : overall.shown,
        fullPairwise,
      },
      settings,
    );
    view.version = seq;
    return view;
  };
  const view = JSON.stringify(render(false));
  const viewAll = JSON.stringify(render(true));
  const pairwise = JSON.stringify(render(false, true).pairwise);
  const pairwiseAll = JSON.stringify(render(true, true).pairwise);
  const publishedAt = new Date();
  const row = {
    category,
    method,
    seq,
    talliesVersion: fit.talliesVersion,
    catalog: fingerprint,
    fittedAt: new Date(fit.fittedAt),
    publishedAt,
    fitGzip: gzip(JSON.stringify(fit)),
    view,
    viewGzip: gzip(view),
    viewAll,
    viewAllGzip: gzip(viewAll),
    pairwiseGzip: gzip(pairwise),
    pairwiseAllGzip: gzip(pairwiseAll),
  };
  const { category: _c, method: _m, ...update } = row;
  await db
    .insert(leaderboardSnapshots)
    .values(row)
    .onConflictDoUpdate({
      target: [leaderboardSnapshots.category, leaderboardSnapshots.method],
      set: update,
    });
  return {
    category,
    method,
    seq,
    talliesVersion: fit.talliesVersion,
    catalog: fingerprint,
    fittedAt: fit.fittedAt,
    publishedAt: publishedAt.getTime(),
  };
}

/**
 * A fresh publication number, taken before the snapshot is rendered (the view carries it) in a
 * statement of its own, so two publishers never share one.
 */
async function nextPublication(db: ArenaDb): Promise<number> {
  const [row] = await db
    .insert(counters)
    .values({ name: PUBLICATIONS, value: 1 })
    .onConflictDoUpdate({ target: counters.name, set: { value: sql`${counters.value} + 1` } })
    .returning({ value: counters.value });
  if (!row) throw new Error("no publication number was taken");
  return row.value;
}

/** Changes with every publication, of any category. */
export async function publicationCount(db: ArenaDb): Promise<number> {
  const [row] = await prepared(db, "snapshots.publications", () =>
    db
      .select({ value: counters.value })
      .from(counters)
      .where(eq(counters.name, PUBLICATIONS))
      .prepare(),
  ).execute();
  return row?.value ?? 0;
}

/** Records that someone read this leaderboard now (the worker keeps what is read fresh first). */
export async function noteDemand(
  db: ArenaDb,
  category: string,
  method: LeaderboardMethod,
  at = new Date(),
): Promise<void> {
  await prepared(db, "snapshots.demand", () =>
    db
      .insert(leaderboardDemand)
      .values({
        category: sql.placeholder("category"),
        method: sql.placeholder("method"),
        requestedAt: sql.placeholder("at"),
      })
      .onConflictDoUpdate({
        target: [leaderboardDemand.category, leaderboardDemand.method],
        set: { requestedAt: sql`excluded.requested_at` },
      })
      .prepare(),
  ).execute({ category, method, at });
}

/** Leaderboards read since `since`, most recently read first. */
export async function demandSince(
  db: ArenaDb,
  since: Date,
): Promise<{ category: string; method: LeaderboardMethod; requestedAt: number }[]> {
  return (await db.select().from(leaderboardDemand).where(gt(leaderboardDemand.requestedAt, since)))
    .map((d) => ({
      category: d.category,
      method: d.method as LeaderboardMethod,
      requestedAt: d.requestedAt.getTime(),
    }))
    .sort((a, b) => b.requestedAt - a.requestedAt);
}

export interface PublishedCategories {
  talliesVersion: number;
  publishedAt: number;
  list: CategoryInfo[];
}

/** Counts the categories (a scan of the tallies: the worker's job) and publishes the list. */
export async function publishCategories(db: ArenaDb): Promise<PublishedCategories> {
  const version = await talliesVersion(db);
  const list = await listCategories(db);
  const publishedAt = new Date();
  await db
    .insert(publishedCategories)
    .values({ id: 1, talliesVersion: version, list, publishedAt })
    .onConflictDoUpdate({
      target: publishedCategories.id,
      set: { talliesVersion: version, list, publishedAt },
    });
  return { talliesVersion: version, publishedAt: publishedAt.getTime(), list };
}

export async function readPublishedCategories(
  db: ArenaDb,
): Promise<PublishedCategories | undefined> {
  const [row] = await prepared(db, "snapshots.categories", () =>
    db.select().from(publishedCategories).where(eq(publishedCategories.id, 1)).prepare(),
  ).execute();
  return (
    row && {
      talliesVersion: row.talliesVersion,
      publishedAt: row.publishedAt.getTime(),
      list: row.list as CategoryInfo[],
    }
  );
}

/** Whether any prompt is in `category`: one probe of an index, for a category newer than the published list. */
export async function categoryExists(db: ArenaDb, category: string): Promise<boolean> {
  const found = await prepared(db, "snapshots.category-exists", () =>
    db
      .select({ one: sql<number>`1` })
      .from(promptCategories)
      .where(eq(promptCategories.category, sql.placeholder("category")))
      .limit(1)
      .prepare(),
  ).execute({ category });
  return found.length > 0;
}

import { sql } from "drizzle-orm";
import { type ArenaDb, databaseKey } from "@/db/client";
import { models, promptCategories, tallies } from "@/db/schema";
import {
  type CiMethod,
  computeLeaderboard,
  type IntervalStatus,
  intervalStatus,
  type Matchup,
  oneSidedModels,
  pairwiseStats,
  predictedWinMatrix,
  rankSpreadByComponent,
} from "@/lib/ranking";
import { externalLink } from "@/lib/render/external-link";
import { countPrompts } from "./catalog";
import { categoryDisplayName, OVERALL } from "./categories";
import { readTallies, talliesVersion } from "./tallies";

export interface LeaderboardSettings {
  /** Models with fewer votes than this are marked provisional. */
  minVotes: number;
  bootstrapRounds: number;
  /** A cached fit younger than this is served even when votes arrived since, so a vote storm costs one fit per interval. */
  maxStalenessMs: number;
}

export interface LeaderboardEntry {
  /** Rank (UB) among the models shown of the same component: the best rank the intervals allow. */
  rank: number;
  /** The worst rank they allow (LMArena's rank spread, "rank ↔ worstRank"). */
  worstRank: number;
  /**
   * The model's comparison-graph component: 0 is the leaderboard proper (the largest group of
   * models linked by votes); a model in another one never met those, even through others, so
   * its rating is on a scale of its own and it is ranked among its own component only.
   */
  component: number;
  /** Overall rank − rank in this category; null in the overall view or for a model not shown overall. */
  delta: number | null;
  model: string;
  displayName: string;
  organization: string;
  license: string;
  link: string | null;
  rating: number;
  ciLower: number;
  ciUpper: number;
  /** "too-few-votes": a provisional model's ciLower/ciUpper are the estimator's output but no real interval (shown as —). */
  ciStatus: IntervalStatus;
  votes: number;
  winRate: number;
  provisional: boolean;
  deprecated: boolean;
}

export interface LeaderboardView {
  category: string;
  categoryName: string;
  ci: LeaderboardMethod;
  version: number;
  updatedAt: string;
  totalVotes: number;
  minVotes: number;
  rows: LeaderboardEntry[];
  /** Matrices in row order: observed battles and win fractions (null where no battles), and BT-predicted win probabilities. */
  pairwise: {
    models: string[];
    battles: number[][];
    winFraction: (number | null)[][];
    predicted: number[][];
  };
}

/** One model's figures in a fit, aligned with `Fit.slugs`. */
export interface FitRow {
  rating: number;
  ciLower: number;
  ciUpper: number;
  votes: number;
  winRate: number;
  oneSided: boolean;
  /** Comparison-graph component (0 the largest); absent in fits stored before it was kept: 0. */
  component?: number;
}

/**
 * A category's Bradley–Terry fit with its intervals, before names and visibility are joined in:
 * what the fit worker stores in a snapshot (plain JSON), re-renders after a model edit, and
 * warm-starts the next fit from.
 */
export interface Fit {
  talliesVersion: number;
  /** When the tallies were read (ms since the epoch). */
  fittedAt: number;
  totalVotes: number;
  slugs: string[];
  rows: FitRow[];
  /** Observed pairwise figures, indexed like `slugs`; null where a pair never met. */
  pairs: { battles: number[][]; winFraction: (number | null)[][] };
}

/**
 * How a leaderboard's figures are computed, and with its category the key of its snapshot: the
 * plain fit with bootstrap or sandwich intervals, or LMArena's reweighted fit with sandwich
 * intervals (each vote weighs 1/max(n_pair, 50); pairWeights in lib/ranking).
 */
export type LeaderboardMethod = CiMethod | "reweighted";

/** The ranking engine's options for a method. */
export function methodOptions(method: LeaderboardMethod): { ci: CiMethod; reweight: boolean } {
  return method === "reweighted"
    ? { ci: "sandwich", reweight: true }
    : { ci: method, reweight: false };
}

/** The bootstrap's seed wherever this app's leaderboard is computed: the web, the API, the CLI. */
export const LEADERBOARD_SEED = 1;

/**
 * The heatmaps in a view cover the best this many models: past that a page could not show
 * them and the answer would grow with models² (a 250-model board: 1 MB). All pairs are served
 * apart (servedPairwise), gzipped once by the fit worker.
 */
export const PAIRWISE_TOP = 30;

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Tallies of one category as index-based matchups over the models that have votes in it. */
export async function categoryMatchups(db: ArenaDb, category: string) {
  const slugOf = new Map(
    (await db.select({ id: models.id, slug: models.slug }).from(models)).map((m) => [m.id, m.slug]),
  );
  // In the models' names' order, not the database's: the bootstrap resamples the cells in this
  // order, so the same votes give the same intervals on either database, whatever ids and
  // storage order the models and cells have there.
  const slug = (id: number) => slugOf.get(id) ?? `model-${id}`;
  const rows = (await readTallies(db, category)).sort(
    (x, y) =>
      compare(slug(x.modelAId), slug(y.modelAId)) || compare(slug(x.modelBId), slug(y.modelBId)),
  );
  const index = new Map<number, number>();
  const slugs: string[] = [];
  const at = (id: number) => {
    let i = index.get(id);
    if (i === undefined) {
      i = slugs.length;
      index.set(id, i);
      slugs.push(slug(id));
    }
    return i;
  };
  const matchups: Matchup[] = rows.map((t) => ({
    a: at(t.modelAId),
    b: at(t.modelBId),
    winsA: t.winsA,
    winsB: t.winsB,
    ties: t.ties,
    bothBad: t.bothBad,
  }));
  const totalVotes = rows.reduce((s, t) => s + t.winsA + t.winsB + t.ties + t.bothBad, 0);
  return { slugs, matchups, totalVotes };
}

/** Natural log-odds strength of a rating on the default scale (R = 400·θ/ln 10 + 1000). */
const strengthOf = (rating: number) => ((rating - 1000) * Math.LN10) / 400;

/**
 * Fits one category from the tallies as they are now. `previous` (the last fit of the same
 * category and method) warm-starts Newton's method: after a few votes it is a step or two from
 * the optimum instead of four or five. The result does not depend on it beyond the tolerance.
 */
export async function fitCategory(
  db: ArenaDb,
  category: string,
  ci: LeaderboardMethod,
  settings: Pick<LeaderboardSettings, "bootstrapRounds">,
  previous?: Fit,
): Promise<Fit> {
  const talliesVersionNow = await talliesVersion(db);
  const fittedAt = Date.now();
  const { slugs, matchups, totalVotes } = await categoryMatchups(db, category);
  let initialStrengths: number[] | undefined;
  if (previous) {
    const before = new Map(previous.slugs.map((s, i) => [s, previous.rows[i]?.rating]));
    initialStrengths = slugs.map((s) => {
      const r = before.get(s);
      return r === undefined ? 0 : strengthOf(r);
    });
  }
  const rated = slugs.length
    ? computeLeaderboard(slugs, matchups, {
        ...methodOptions(ci),
        rounds: settings.bootstrapRounds,
        seed: LEADERBOARD_SEED,
        initialStrengths,
      })
    : [];
  const bySlug = new Map(rated.map((r) => [r.model, r]));
  const oneSided = oneSidedModels(slugs.length, matchups);
  const pairs = pairwiseStats(slugs.length, matchups);
  return {
    talliesVersion: talliesVersionNow,
    fittedAt,
    totalVotes,
    slugs,
    rows: slugs.map((slug, i) => {
      const r = bySlug.get(slug) as NonNullable<ReturnType<typeof bySlug.get>>;
      return {
        rating: r.rating,
        ciLower: r.ciLower,
        ciUpper: r.ciUpper,
        votes: r.votes,
        winRate: r.winRate,
        oneSided: oneSided[i] ?? false,
        component: r.component,
      };
    }),
    pairs: {
      battles: pairs.battles,
      winFraction: pairs.winFraction.map((row) =>
        row.map((v) => (Number.isNaN(v) ? null : round4(v))),
      ),
    },
  };
}

/** The models' names, links and visibility by slug, as they are now. */
export type ModelCatalog = Map<string, typeof models.$inferSelect>;

export async function modelCatalog(db: ArenaDb): Promise<ModelCatalog> {
  return new Map((await db.select().from(models)).map((m) => [m.slug, m]));
}

export interface ViewOptions {
  category: string;
  ci: LeaderboardMethod;
  includeDeprecated?: boolean;
  /** Ranks in the overall view of the same method, for a category's Δ column. */
  overallRanks?: Map<string, number>;
  /** Pairwise matrices for every model shown instead of the best PAIRWISE_TOP. */
  fullPairwise?: boolean;
}

/**
 * A fit as shown: joined with the models' current names and visibility, hidden models left
 * out, deprecated ones only on request, and the rank spread among the models shown of the same
 * component. Rows come by component (the leaderboard proper first), each best first.
 */
export function renderView(
  fit: Fit,
  catalog: ModelCatalog,
  opts: ViewOptions,
  settings: Pick<LeaderboardSettings, "minVotes">,
): LeaderboardView {
  const position = new Map(fit.slugs.map((s, i) => [s, i]));
  const shown = fit.slugs.filter((slug) => {
    const m = catalog.get(slug);
    return m && !m.hidden && (opts.includeDeprecated || !m.deprecated);
  });
  const stats = shown.map((slug) => fit.rows[position.get(slug) as number] as FitRow);
  const spread = rankSpreadByComponent(
    stats.map((s) => s.component ?? 0),
    stats.map((s) => s.ciLower),
    stats.map((s) => s.ciUpper),
  );
  const rows: LeaderboardEntry[] = shown
    .map((slug, i) => {
      const m = catalog.get(slug) as NonNullable<ReturnType<typeof catalog.get>>;
      const s = stats[i] as FitRow;
      const rank = spread.best[i] as number;
      const overall = opts.overallRanks?.get(slug);
      return {
        rank,
        worstRank: spread.worst[i] as number,
        component: s.component ?? 0,
        delta: overall === undefined ? null : overall - rank,
        model: slug,
        displayName: m.displayName,
        organization: m.organization,
        license: m.license,
        link: externalLink(m.link)?.href ?? null,
        rating: s.rating,
        ciLower: s.ciLower,
        ciUpper: s.ciUpper,
        ciStatus: intervalStatus(s, settings.minVotes),
        votes: s.votes,
        winRate: s.winRate,
        provisional: s.votes < settings.minVotes,
        deprecated: m.deprecated,
      };
    })
    .sort(
      (x, y) => x.component - y.component || y.rating - x.rating || x.model.localeCompare(y.model),
    );
  const order = rows.map((r) => r.model);
  return {
    category: opts.category,
    categoryName: categoryDisplayName(opts.category),
    ci: opts.ci,
    version: fit.talliesVersion,
    updatedAt: new Date(fit.fittedAt).toISOString(),
    totalVotes: fit.totalVotes,
    minVotes: settings.minVotes,
    rows,
    pairwise: pairwiseFor(fit, opts.fullPairwise ? order : order.slice(0, PAIRWISE_TOP)),
  };
}

const fits = new WeakMap<object, Map<string, Fit>>();

/** The fit of one category, computed in this process and kept until the tallies change (and no more often than allowed). */
async function cachedFit(
  db: ArenaDb,
  category: string,
  ci: LeaderboardMethod,
  settings: LeaderboardSettings,
): Promise<Fit> {
  let cache = fits.get(databaseKey(db));
  if (!cache) {
    cache = new Map();
    fits.set(databaseKey(db), cache);
  }
  const key = `${category}\u0000${ci}`;
  const cached = cache.get(key);
  if (
    cached &&
    (cached.talliesVersion === (await talliesVersion(db)) ||
      Date.now() - cached.fittedAt < settings.maxStalenessMs)
  ) {
    return cached;
  }
  const fit = await fitCategory(db, category, ci, settings, cached);
  cache.set(key, fit);
  return fit;
}

/**
 * A category's leaderboard computed here and now (fits cached per process): what the CLI and
 * the tests read. Servers answer from published snapshots instead (snapshots.ts), which the fit
 * worker computes off the request thread.
 */
export async function getLeaderboard(
  db: ArenaDb,
  opts: {
    category?: string;
    ci?: LeaderboardMethod;
    includeDeprecated?: boolean;
    withoutPairwise?: boolean;
  },
  settings: LeaderboardSettings,
): Promise<LeaderboardView> {
  const category = opts.category ?? OVERALL;
  const ci = opts.ci ?? "bootstrap";
  const fit = await cachedFit(db, category, ci, settings);
  const catalog = await modelCatalog(db);
  let overallRanks: Map<string, number> | undefined;
  if (category !== OVERALL) {
    const overall = await getLeaderboard(
      db,
      { ci, includeDeprecated: opts.includeDeprecated, withoutPairwise: true },
      settings,
    );
    overallRanks = new Map(overall.rows.map((r) => [r.model, r.rank]));
  }
  const view = renderView(
    fit,
    catalog,
    { category, ci, includeDeprecated: opts.includeDeprecated, overallRanks, fullPairwise: true },
    settings,
  );
  if (opts.withoutPairwise)
    view.pairwise = { models: [], battles: [], winFraction: [], predicted: [] };
  return view;
}

/** Four decimals are plenty for a share; full doubles would triple the JSON of a 100-model board. */
const round4 = (v: number) => Math.round(v * 1e4) / 1e4;

function pairwiseFor(fit: Fit, order: string[]): LeaderboardView["pairwise"] {
  const pos = new Map(fit.slugs.map((s, i) => [s, i]));
  const idx = order.map((s) => pos.get(s) as number);
  const ratings = idx.map((i) => fit.rows[i]?.rating ?? 0);
  return {
    models: order,
    battles: idx.map((i) => idx.map((j) => fit.pairs.battles[i]?.[j] ?? 0)),
    winFraction: idx.map((i) => idx.map((j) => fit.pairs.winFraction[i]?.[j] ?? null)),
    predicted: predictedWinMatrix(ratings).map((row) => row.map(round4)),
  };
}

export interface CategoryInfo {
  category: string;
  name: string;
  prompts: number;
  votes: number;
}

/** Every category with its prompt and counted-vote totals; `overall` first, then by votes. */
export async function listCategories(db: ArenaDb): Promise<CategoryInfo[]> {
  const votes = new Map(
    (
      await db
        .select({
          category: tallies.category,
          n: sql<number>`sum(${tallies.winsA} + ${tallies.winsB} + ${tallies.ties} + ${tallies.bothBad})`,
        })
        .from(tallies)
        .groupBy(tallies.category)
    ).map((r) => [r.category, r.n]),
  );
  const prompts = await db
    .select({ category: promptCategories.category, n: sql<number>`count(*)` })
    .from(promptCategories)
    .groupBy(promptCategories.category);
  const overallPrompts = await countPrompts(db);
  const list = prompts.map((p) => ({
    category: p.category,
    name: categoryDisplayName(p.category),
    prompts: p.n,
    votes: votes.get(p.category) ?? 0,
  }));
  list.sort(
    (a, b) => b.votes - a.votes || b.prompts - a.prompts || a.category.localeCompare(b.category),
  );
  return [
    {
      category: OVERALL,
      name: categoryDisplayName(OVERALL),
      prompts: overallPrompts,
      votes: votes.get(OVERALL) ?? 0,
    },
    ...list,
  ];
}

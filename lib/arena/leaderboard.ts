import { sql } from "drizzle-orm";
import type { ArenaDb } from "@/db/client";
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
  rankUpperBound,
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
  rank: number;
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
  ci: CiMethod;
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

interface Fit {
  version: number;
  computedAt: number;
  totalVotes: number;
  slugs: string[];
  rows: Map<
    string,
    {
      rating: number;
      ciLower: number;
      ciUpper: number;
      votes: number;
      winRate: number;
      oneSided: boolean;
    }
  >;
  /** Observed pairwise figures, computed once per fit, indexed like `slugs`. */
  pairs: { battles: number[][]; winFraction: number[][] };
}

/** The bootstrap's seed wherever this app's leaderboard is computed: the web, the API, the CLI. */
export const LEADERBOARD_SEED = 1;

const fits = new WeakMap<object, Map<string, Fit>>();

/** Tallies of one category as index-based matchups over the models that have votes in it. */
export function categoryMatchups(db: ArenaDb, category: string) {
  const rows = readTallies(db, category);
  const slugOf = new Map(
    db
      .select({ id: models.id, slug: models.slug })
      .from(models)
      .all()
      .map((m) => [m.id, m.slug]),
  );
  const index = new Map<number, number>();
  const slugs: string[] = [];
  const at = (id: number) => {
    let i = index.get(id);
    if (i === undefined) {
      i = slugs.length;
      index.set(id, i);
      slugs.push(slugOf.get(id) ?? `model-${id}`);
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

/** The Bradley–Terry fit of one category, recomputed only when the tallies changed (and not more often than allowed). */
function categoryFit(
  db: ArenaDb,
  category: string,
  ci: CiMethod,
  settings: LeaderboardSettings,
): Fit {
  let cache = fits.get(db.$client);
  if (!cache) {
    cache = new Map();
    fits.set(db.$client, cache);
  }
  const key = `${category}\u0000${ci}`;
  const version = talliesVersion(db);
  const cached = cache.get(key);
  if (
    cached &&
    (cached.version === version || Date.now() - cached.computedAt < settings.maxStalenessMs)
  ) {
    return cached;
  }
  const { slugs, matchups, totalVotes } = categoryMatchups(db, category);
  const rows = slugs.length
    ? computeLeaderboard(slugs, matchups, {
        ci,
        rounds: settings.bootstrapRounds,
        seed: LEADERBOARD_SEED,
      })
    : [];
  const oneSided = oneSidedModels(slugs.length, matchups);
  const fit: Fit = {
    version,
    computedAt: Date.now(),
    totalVotes,
    slugs,
    pairs: pairwiseStats(slugs.length, matchups),
    rows: new Map(
      rows.map((r) => [r.model, { ...r, oneSided: oneSided[slugs.indexOf(r.model)] ?? false }]),
    ),
  };
  cache.set(key, fit);
  return fit;
}

function modelInfo(db: ArenaDb) {
  return new Map(
    db
      .select()
      .from(models)
      .all()
      .map((m) => [m.slug, m]),
  );
}

/**
 * A category's leaderboard as shown: the cached fit joined with the models' current names and
 * visibility (so an edit shows at once), hidden models left out, deprecated ones only on
 * request, and rank (UB) among the models shown.
 */
export function getLeaderboard(
  db: ArenaDb,
  opts: {
    category?: string;
    ci?: CiMethod;
    includeDeprecated?: boolean;
    withoutPairwise?: boolean;
  },
  settings: LeaderboardSettings,
): LeaderboardView {
  const category = opts.category ?? OVERALL;
  const ci = opts.ci ?? "bootstrap";
  const fit = categoryFit(db, category, ci, settings);
  const info = modelInfo(db);
  const shown = fit.slugs.filter((slug) => {
    const m = info.get(slug);
    return m && !m.hidden && (opts.includeDeprecated || !m.deprecated);
  });
  const stats = shown.map(
    (slug) => fit.rows.get(slug) as NonNullable<ReturnType<typeof fit.rows.get>>,
  );
  const ranks = rankUpperBound(
    stats.map((s) => s.ciLower),
    stats.map((s) => s.ciUpper),
  );
  let overallRank: Map<string, number> | null = null;
  if (category !== OVERALL) {
    const overall = getLeaderboard(
      db,
      { ci, includeDeprecated: opts.includeDeprecated, withoutPairwise: true },
      settings,
    );
    overallRank = new Map(overall.rows.map((r) => [r.model, r.rank]));
  }
  const rows: LeaderboardEntry[] = shown
    .map((slug, i) => {
      const m = info.get(slug) as NonNullable<ReturnType<typeof info.get>>;
      const s = stats[i] as (typeof stats)[number];
      const rank = ranks[i] as number;
      const overall = overallRank?.get(slug);
      return {
        rank,
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
    .sort((x, y) => y.rating - x.rating || x.model.localeCompare(y.model));
  return {
    category,
    categoryName: categoryDisplayName(category),
    ci,
    version: fit.version,
    updatedAt: new Date(fit.computedAt).toISOString(),
    totalVotes: fit.totalVotes,
    minVotes: settings.minVotes,
    rows,
    pairwise: opts.withoutPairwise
      ? { models: [], battles: [], winFraction: [], predicted: [] }
      : pairwiseFor(
          fit,
          rows.map((r) => r.model),
        ),
  };
}

/** Four decimals are plenty for a share; full doubles would triple the JSON of a 100-model board. */
const round4 = (v: number) => Math.round(v * 1e4) / 1e4;

function pairwiseFor(fit: Fit, order: string[]): LeaderboardView["pairwise"] {
  const pos = new Map(fit.slugs.map((s, i) => [s, i]));
  const idx = order.map((s) => pos.get(s) as number);
  const ratings = order.map((s) => fit.rows.get(s)?.rating ?? 0);
  return {
    models: order,
    battles: idx.map((i) => idx.map((j) => fit.pairs.battles[i]?.[j] ?? 0)),
    winFraction: idx.map((i) =>
      idx.map((j) => {
        const v = fit.pairs.winFraction[i]?.[j];
        return v === undefined || Number.isNaN(v) ? null : round4(v);
      }),
    ),
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
export function listCategories(db: ArenaDb): CategoryInfo[] {
  const votes = new Map(
    db
      .select({
        category: tallies.category,
        n: sql<number>`sum(${tallies.winsA} + ${tallies.winsB} + ${tallies.ties} + ${tallies.bothBad})`,
      })
      .from(tallies)
      .groupBy(tallies.category)
      .all()
      .map((r) => [r.category, r.n]),
  );
  const prompts = db
    .select({ category: promptCategories.category, n: sql<number>`count(*)` })
    .from(promptCategories)
    .groupBy(promptCategories.category)
    .all();
  const overallPrompts = countPrompts(db);
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

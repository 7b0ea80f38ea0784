import { bootstrapBradleyTerry } from "./bootstrap";
import { type BradleyTerryOptions, fitBradleyTerry } from "./bradley-terry";
import { comparisonComponents } from "./components";
import { onlineElo } from "./elo";
import { averageWinRate } from "./pairwise";
import { rankSpreadByComponent } from "./rank";
import { pairWeights } from "./reweight";
import { sandwichIntervals } from "./sandwich";
import type { Matchup, VoteSequence } from "./types";

export type CiMethod = "bootstrap" | "sandwich";

export interface LeaderboardOptions extends Omit<BradleyTerryOptions, "anchor" | "weights"> {
  ci?: CiMethod;
  /**
   * LMArena's reweighting (pairWeights: each vote weighs 1/max(n_pair, 50)) for the fit and
   * its intervals. Sandwich intervals only (ci must be "sandwich").
   */
  reweight?: boolean;
  /** Bootstrap rounds (ci = "bootstrap"). Default 1000. */
  rounds?: number;
  seed?: number;
  confidence?: number;
  /** Pin a model, by name, to a rating. */
  anchor?: { model: string; rating: number };
  /** Votes in order, to add online Elo as a secondary column. */
  votes?: VoteSequence;
}

/** One model's figures from a fit, by name; the app's leaderboard adds names and flags (LeaderboardEntry). */
export interface RatedModel {
  model: string;
  rating: number;
  ciLower: number;
  ciUpper: number;
  /** Votes the model took part in. */
  votes: number;
  /**
   * Rank (UB), the best rank the intervals allow: 1 + models of the same component whose lower
   * bound is above this model's upper bound.
   */
  rank: number;
  /** The worst rank they allow: 1 + other models of the same component whose upper bound is above its lower bound. */
  worstRank: number;
  /**
   * Its comparison-graph component (comparisonComponents): 0 is the largest, the leaderboard
   * proper; models in another one never met those, even through others, and are ranked apart.
   */
  component: number;
  /** Mean predicted win probability against every other model. */
  winRate: number;
  /** Online Elo (K = 4, vote order), when the votes were given. */
  eloRating?: number;
}

/** An anchor given by model name, as the fits take it: by the model's index. */
export function anchorByIndex(
  models: readonly string[],
  anchor: LeaderboardOptions["anchor"],
): { model: number; rating: number } | undefined {
  if (!anchor) return undefined;
  const index = models.indexOf(anchor.model);
  if (index < 0) throw new RangeError(`anchor model "${anchor.model}" has no votes here`);
  return { model: index, rating: anchor.rating };
}

/**
 * The whole leaderboard in one call: Bradley–Terry ratings, a 95% interval (bootstrap by
 * default, or sandwich, optionally reweighted), rank spread (rank (UB) ↔ worst rank), average
 * win rate and optionally online Elo. Rows come by component of the comparison graph (the
 * largest first), each best first (by rating, then name for a stable order).
 */
export function computeLeaderboard(
  models: readonly string[],
  matchups: readonly Matchup[],
  opts: LeaderboardOptions = {},
): RatedModel[] {
  const n = models.length;
  const anchor = anchorByIndex(models, opts.anchor);
  if (opts.reweight && opts.ci !== "sandwich") {
    throw new RangeError('reweighted intervals are sandwich intervals: pass ci "sandwich"');
  }
  const weights = opts.reweight ? pairWeights(n, matchups) : undefined;
  const fitOpts: BradleyTerryOptions = { ...opts, anchor, weights };
  const fit = fitBradleyTerry(n, matchups, fitOpts);
  const ci =
    opts.ci === "sandwich"
      ? sandwichIntervals(n, matchups, { ...fitOpts, fit, confidence: opts.confidence })
      : bootstrapBradleyTerry(n, matchups, {
          ...fitOpts,
          fit,
          rounds: opts.rounds,
          seed: opts.seed,
          confidence: opts.confidence,
        });
  // Ranks only compare models of one component: across components the votes say nothing.
  const { component } = comparisonComponents(n, matchups);
  const { best: rank, worst: worstRank } = rankSpreadByComponent(component, ci.lower, ci.upper);
  const winRate = averageWinRate(fit.ratings, opts);
  const elo = opts.votes ? onlineElo(n, opts.votes, opts) : undefined;
  const rows = models.map((model, m): RatedModel => {
    const row: RatedModel = {
      model,
      rating: fit.ratings[m] as number,
      ciLower: ci.lower[m] as number,
      ciUpper: ci.upper[m] as number,
      votes: fit.votes[m] as number,
      rank: rank[m] as number,
      worstRank: worstRank[m] as number,
      component: component[m] as number,
      winRate: winRate[m] as number,
    };
    if (elo) row.eloRating = elo[m] as number;
    return row;
  });
  return rows.sort(
    (x, y) =>
      x.component - y.component ||
      y.rating - x.rating ||
      (x.model < y.model ? -1 : x.model > y.model ? 1 : 0),
  );
}

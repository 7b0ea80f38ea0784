import { battleComponents } from "./components";
import { anchorByIndex, type LeaderboardOptions, type RatedModel } from "./leaderboard";
import { averageWinRate } from "./pairwise";
import { rankSpreadByComponent } from "./rank";
import { bootstrapStyleControl } from "./style-bootstrap";
import { type CoefficientInterval, fitStyleControl, styleSandwich } from "./style-control";
import {
  prepareStyleData,
  STYLE_FEATURES,
  type StyleFeatureName,
  type StyleVotes,
} from "./style-data";

export interface StyleLeaderboard {
  /** Rows as computeLeaderboard's: by component, best first (no online Elo: it has no style control). */
  rows: RatedModel[];
  /** γ per feature with its interval: log-odds per standard deviation of the feature. */
  coefficients: Record<StyleFeatureName, CoefficientInterval>;
}

/**
 * The style-controlled leaderboard in one call, computeLeaderboard's counterpart: ratings with
 * length and markdown held equal, a 95% interval (sandwich by default — a bootstrap round costs
 * a whole refit over every vote), rank (UB), average win rate between equally styled answers,
 * and the four coefficients with their intervals.
 */
export function computeStyleLeaderboard(
  models: readonly string[],
  votes: StyleVotes,
  opts: Omit<LeaderboardOptions, "votes" | "priorSd" | "initialStrengths"> & { reg?: number } = {},
): StyleLeaderboard {
  const n = models.length;
  const anchor = anchorByIndex(models, opts.anchor);
  const fitOpts = { ...opts, anchor };
  const data = prepareStyleData(n, votes);
  const fit = fitStyleControl(data, fitOpts);
  const ci =
    opts.ci === "bootstrap"
      ? bootstrapStyleControl(data, { ...fitOpts, fit, rounds: opts.rounds, seed: opts.seed })
      : styleSandwich(data, { ...fitOpts, fit });
  // as computeLeaderboard: ranks among the models of one comparison component only
  const { component } = battleComponents(n, votes.a, votes.b, votes.weights);
  const spread = rankSpreadByComponent(component, ci.lower, ci.upper);
  const winRate = averageWinRate(fit.ratings, opts);
  const rows = models.map(
    (model, m): RatedModel => ({
      model,
      rating: fit.ratings[m] as number,
      ciLower: ci.lower[m] as number,
      ciUpper: ci.upper[m] as number,
      votes: fit.votes[m] as number,
      rank: spread.best[m] as number,
      worstRank: spread.worst[m] as number,
      component: component[m] as number,
      winRate: winRate[m] as number,
    }),
  );
  rows.sort(
    (x, y) =>
      x.component - y.component ||
      y.rating - x.rating ||
      (x.model < y.model ? -1 : x.model > y.model ? 1 : 0),
  );
  const coefficients = Object.fromEntries(
    STYLE_FEATURES.map((name, k) => [name, ci.coefficients[k] as CoefficientInterval]),
  ) as Record<StyleFeatureName, CoefficientInterval>;
  return { rows, coefficients };
}

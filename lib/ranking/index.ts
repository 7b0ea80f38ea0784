/**
 * Arena's ranking engine: pure TypeScript, no I/O, no framework.
 *
 * Input is `models: string[]` plus outcome tallies per ordered pair ({@link Matchup}); models
 * are referred to by index. Everything costs O(models²) per fit, independent of vote count.
 *
 *   fitBradleyTerry(n, matchups, opts?)        → BradleyTerryFit   Bradley–Terry MLE (Newton)
 *   bootstrapBradleyTerry(n, matchups, opts?)  → BootstrapResult   multinomial bootstrap CIs
 *   sandwichIntervals(n, matchups, opts?)      → SandwichResult    robust CIs, no resampling
 *   pairWeights(n, matchups) / battleWeights   → weights           LMArena's 1/max(n_pair, 50),
 *                                                                  the fits' and sandwich's `weights`
 *   rankUpperBound(lower, upper)               → number[]          rank (UB)
 *   comparisonComponents(n, matchups)          → {component, members} who can be ranked together
 *   rankSpread(lower, upper)                   → {best, worst}     "3 ↔ 7"
 *   intervalStatus(row, minVotes)              → IntervalStatus    is a provisional interval meaningful
 *   onlineElo(n, votes, opts?)                 → number[]          FastChat compute_elo
 *   pairwiseStats(n, matchups)                 → PairwiseStats     observed head-to-head
 *   predictedWinMatrix(ratings, opts?)         → number[][]        P(i beats j)
 *   averageWinRate(ratings, opts?)             → number[]          mean P(win) vs all others
 *   computeLeaderboard(models, matchups, opts?) → RatedModel[] all of the above, sorted
 *   prepareStyleData(n, styleVotes)            → StyleData         votes + style differences, standardised
 *   fitStyleControl(data, opts?)               → StyleControlFit   style control (contextual BT)
 *   styleSandwich(data, opts?)                 → StyleSandwichResult  its robust CIs + coefficients'
 *   bootstrapStyleControl(data, opts?)         → StyleBootstrapResult its bootstrap CIs
 *
 * Conventions (FastChat's): P(A beats B) = 1/(1 + 10^((R_B − R_A)/400)), R = 400·θ + 1000,
 * ties and both-bad are half a win each; ratings average 1000 unless an anchor pins a model.
 * The bootstrap draws exact multinomial resamples from its own seeded generator (not numpy's),
 * so its bounds match FastChat's up to Monte-Carlo noise.
 */

export {
  type AnomalyOptions,
  detectAnomalousVoters,
  type VoteRecord,
  type VoterAnomaly,
} from "./anomaly";
export { type BootstrapOptions, type BootstrapResult, bootstrapBradleyTerry } from "./bootstrap";
export {
  type BradleyTerryFit,
  type BradleyTerryOptions,
  DEFAULT_PRIOR_SD,
  DEFAULT_TOLERANCE,
  fitBradleyTerry,
} from "./bradley-terry";
export { type OnlineEloOptions, onlineElo } from "./elo";
export {
  type IntervalInput,
  type IntervalStatus,
  intervalStatus,
  oneSidedModels,
} from "./interval-status";
export {
  type CiMethod,
  computeLeaderboard,
  type LeaderboardOptions,
  type RatedModel,
} from "./leaderboard";
export { votesPerModel } from "./pairs";
export { averageWinRate, type PairwiseStats, pairwiseStats, predictedWinMatrix } from "./pairwise";
export { rankSpread, rankSpreadByComponent, rankUpperBound } from "./rank";
export { battleWeights, DEFAULT_MIN_PAIR_COUNT, pairWeights } from "./reweight";
export {
  normalQuantile,
  type SandwichOptions,
  type SandwichResult,
  sandwichIntervals,
} from "./sandwich";
export { DEFAULT_BASE, DEFAULT_INIT_RATING, DEFAULT_SCALE } from "./scale";
export {
  bootstrapStyleControl,
  type StyleBootstrapOptions,
  type StyleBootstrapResult,
} from "./style-bootstrap";
export {
  type CoefficientInterval,
  DEFAULT_STYLE_REG,
  fitStyleControl,
  type StyleControlFit,
  type StyleControlOptions,
  type StyleIntervals,
  type StyleSandwichResult,
  styleSandwich,
} from "./style-control";
export {
  prepareStyleData,
  STYLE_FEATURES,
  type StyleData,
  type StyleFeatureName,
  type StyleVotes,
  styleDifference,
  writeStyleDifference,
} from "./style-data";
// styleFeatures stays out of the index: it loads the tokenizer, and most importers need only math
export type { StyleFeatures } from "./style-features";
export type {
  Anchor,
  Matchup,
  RatingScale,
  VoteSequence,
} from "./types";

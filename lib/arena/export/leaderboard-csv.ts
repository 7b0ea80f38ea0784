import type { LeaderboardView } from "@/lib/arena/leaderboard";
import { csvFixed, csvRow } from "@/lib/import/csv-write";

/**
 * The leaderboard as shown, one model per row; ratings to two decimals like LMArena's table.
 * Names, organizations and licenses are text cells (neutralised against formula injection);
 * rank, delta, ratings, bounds, votes and win rate are number cells. A provisional model whose
 * interval is not meaningful yet (`ci_status` too-few-votes) gets empty bounds, not a fake ±0.
 * `rank` ↔ `worst_rank` is the rank spread; `component` 0 is the leaderboard proper, another
 * number a group of models that never met those (ranked among themselves).
 */
export function leaderboardCsv(view: LeaderboardView): string {
  const head = [
    "rank",
    "delta",
    "model",
    "display_name",
    "organization",
    "license",
    "rating",
    "ci_lower",
    "ci_upper",
    "votes",
    "win_rate",
    "provisional",
    "deprecated",
    "ci_status",
    // last, so the columns before keep their places
    "worst_rank",
    "component",
  ];
  const lines = view.rows.map((r) =>
    csvRow([
      r.rank,
      r.delta,
      r.model,
      r.displayName,
      r.organization,
      r.license,
      csvFixed(r.rating, 2),
      r.ciStatus === "estimated" ? csvFixed(r.ciLower, 2) : null,
      r.ciStatus === "estimated" ? csvFixed(r.ciUpper, 2) : null,
      r.votes,
      csvFixed(r.winRate, 4),
      r.provisional,
      r.deprecated,
      r.ciStatus,
      r.worstRank,
      r.component,
    ]),
  );
  return `${[csvRow(head), ...lines].join("\r\n")}\r\n`;
}

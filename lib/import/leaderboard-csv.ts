import type { LeaderboardView } from "@/lib/arena/leaderboard";

function field(v: string | number | boolean | null): string {
  const s = v === null ? "" : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The leaderboard as shown, one model per row; ratings to two decimals like LMArena's table. */
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
  ];
  const lines = view.rows.map((r) =>
    [
      r.rank,
      r.delta,
      r.model,
      r.displayName,
      r.organization,
      r.license,
      r.rating.toFixed(2),
      r.ciLower.toFixed(2),
      r.ciUpper.toFixed(2),
      r.votes,
      r.winRate.toFixed(4),
      r.provisional,
      r.deprecated,
    ]
      .map(field)
      .join(","),
  );
  return `${[head.join(","), ...lines].join("\r\n")}\r\n`;
}

import type { LeaderboardEntry } from "@/lib/arena/leaderboard";

/** Leaderboard figures as text on screen (numbers, intervals, times), not a file or response format. */
export const fmtInt = (n: number) => n.toLocaleString("en-US");
export const fmtRating = (n: number) => Math.round(n).toString();
export const fmtPct = (n: number) => `${Math.round(n * 100)}%`;

/** "+x/−y" around the rating, as LMArena prints its 95% interval; "—" when there is none yet. */
export function fmtCi(e: Pick<LeaderboardEntry, "rating" | "ciLower" | "ciUpper" | "ciStatus">) {
  if (e.ciStatus === "too-few-votes") return "—";
  return `+${Math.round(e.ciUpper - e.rating)}/−${Math.round(e.rating - e.ciLower)}`;
}

/** Why an interval shows as "—" (a title, and the footnote under a table that has one). */
export function tooFewVotesNote(minVotes: number): string {
  return `Provisional: fewer than ${fmtInt(minVotes)} votes, too few (or too one-sided) to bound the score yet, so no interval is shown.`;
}

export function fmtTime(iso: string): string {
  return `${new Date(iso).toISOString().replace("T", " ").slice(0, 19)} UTC`;
}

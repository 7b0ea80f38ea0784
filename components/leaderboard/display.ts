/** Leaderboard figures as text on screen (numbers, intervals, times), not a file or response format. */
export const fmtInt = (n: number) => n.toLocaleString("en-US");
export const fmtRating = (n: number) => Math.round(n).toString();
export const fmtPct = (n: number) => `${Math.round(n * 100)}%`;

/** "+x/−y" around the rating, as LMArena prints its 95% interval. */
export function fmtCi(rating: number, lower: number, upper: number): string {
  return `+${Math.round(upper - rating)}/−${Math.round(rating - lower)}`;
}

export function fmtTime(iso: string): string {
  return `${new Date(iso).toISOString().replace("T", " ").slice(0, 19)} UTC`;
}

import type { LeaderboardEntry } from "@/lib/arena/leaderboard";
import { fmtCi, tooFewVotesNote } from "./display";

type IntervalEntry = Pick<LeaderboardEntry, "rating" | "ciLower" | "ciUpper" | "ciStatus">;

/** A model's 95% interval as "+x/−y", or "—" with the reason when it has none yet. */
export function Interval({ entry, minVotes }: { entry: IntervalEntry; minVotes: number }) {
  if (entry.ciStatus === "estimated") return <>{fmtCi(entry)}</>;
  return (
    <span title={tooFewVotesNote(minVotes)} data-testid="ci-too-few-votes">
      <span aria-hidden="true">—</span>
      <span className="sr-only">no interval yet, too few votes</span>
    </span>
  );
}

/** The footnote under a table that shows a "—" interval, so phones (no hover) get the reason too. */
export function IntervalFootnote({
  entries,
  minVotes,
}: {
  entries: IntervalEntry[];
  minVotes: number;
}) {
  if (!entries.some((e) => e.ciStatus === "too-few-votes")) return null;
  return (
    <p className="px-3 py-2 text-xs text-zinc-600 dark:text-zinc-400" data-testid="ci-footnote">
      — {tooFewVotesNote(minVotes)}
    </p>
  );
}

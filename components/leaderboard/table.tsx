import Link from "next/link";
import type { LeaderboardEntry } from "@/lib/arena/leaderboard";
import { fmtInt, fmtRating } from "./display";
import { Interval, IntervalFootnote } from "./interval";

function Delta({ value }: { value: number | null }) {
  if (value === null) return <span className="text-zinc-500 dark:text-zinc-400">–</span>;
  if (value === 0) return <span className="text-zinc-500 dark:text-zinc-400">0</span>;
  return value > 0 ? (
    <span
      className="text-emerald-700 dark:text-emerald-400"
      title={`${value} places higher than overall`}
    >
      ▲{value}
    </span>
  ) : (
    <span
      className="text-rose-700 dark:text-rose-400"
      title={`${-value} places lower than overall`}
    >
      ▼{-value}
    </span>
  );
}

/**
 * The ranked table. A phone (below `sm`) shows what decides a ranking first — rank, model,
 * score and its interval — and moves votes, organization and license to a line under the
 * model's name, so nothing needs a sideways scroll; wider screens give each its own column.
 */
export function LeaderboardTable({
  rows,
  showDelta,
  minVotes,
}: {
  rows: LeaderboardEntry[];
  showDelta: boolean;
  minVotes: number;
}) {
  return (
    <div className="card overflow-x-auto">
      <table className="w-full text-sm" data-testid="leaderboard-table">
        <thead className="text-left text-xs uppercase tracking-wide text-zinc-500 dark:text-zinc-400">
          <tr>
            <th
              className="px-2 py-2 sm:px-3"
              title="Rank (UB): 1 + the number of models that are statistically better. Where the intervals allow a range, the worst rank they allow follows (3 ↔ 7)."
            >
              Rank (UB)
            </th>
            {showDelta && (
              <th className="px-1 py-2 sm:px-2" title="Overall rank − rank in this category">
                Δ
              </th>
            )}
            <th className="px-2 py-2 sm:px-3">Model</th>
            <th className="px-2 py-2 sm:px-3 text-right">Score</th>
            <th className="hidden px-2 py-2 sm:px-3 text-right sm:table-cell">95% CI</th>
            <th className="hidden px-2 py-2 sm:px-3 text-right sm:table-cell">Votes</th>
            <th className="hidden px-2 py-2 sm:px-3 sm:table-cell">Organization</th>
            <th className="hidden px-2 py-2 sm:px-3 md:table-cell">License</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr
              key={r.model}
              data-testid="leaderboard-row"
              data-model={r.model}
              className={`border-t border-zinc-100 align-top dark:border-zinc-800 sm:align-middle ${r.provisional ? "text-zinc-500 dark:text-zinc-400" : ""}`}
            >
              <td className="whitespace-nowrap px-2 py-2 sm:px-3 tabular-nums" data-testid="rank">
                {r.rank}
                {r.worstRank !== r.rank && (
                  <span
                    className="text-zinc-500 dark:text-zinc-400"
                    title={`Given the 95% intervals it could rank anywhere from ${r.rank} to ${r.worstRank}`}
                  >
                    {" "}
                    ↔ {r.worstRank}
                  </span>
                )}
              </td>
              {showDelta && (
                <td className="px-1 py-2 tabular-nums sm:px-2">
                  <Delta value={r.delta} />
                </td>
              )}
              <td className="px-2 py-2 sm:px-3">
                <Link
                  href={`/models/${encodeURIComponent(r.model)}`}
                  className="font-medium text-zinc-900 [overflow-wrap:anywhere] hover:underline dark:text-zinc-100"
                >
                  {r.displayName}
                </Link>
                {r.provisional && (
                  <span
                    className="ml-2 inline-block rounded bg-amber-100 px-1.5 py-0.5 text-[11px] font-medium uppercase text-amber-900 dark:bg-amber-900 dark:text-amber-100"
                    title={`Fewer than ${minVotes} votes: the score may still move a lot`}
                  >
                    provisional
                  </span>
                )}
                {r.deprecated && (
                  <span className="ml-2 inline-block rounded bg-zinc-200 px-1.5 py-0.5 text-[11px] font-medium uppercase text-zinc-700 dark:bg-zinc-700 dark:text-zinc-200">
                    deprecated
                  </span>
                )}
                <span
                  className="mt-0.5 block text-xs text-zinc-500 [overflow-wrap:anywhere] sm:hidden dark:text-zinc-400"
                  data-testid="row-details"
                >
                  {[`${fmtInt(r.votes)} votes`, r.organization, r.license]
                    .filter(Boolean)
                    .join(" · ")}
                </span>
              </td>
              <td
                className="px-2 py-2 sm:px-3 text-right font-semibold tabular-nums"
                data-testid="score"
              >
                {fmtRating(r.rating)}
                <span className="block whitespace-nowrap text-xs font-normal text-zinc-500 sm:hidden dark:text-zinc-400">
                  <Interval entry={r} minVotes={minVotes} />
                </span>
              </td>
              <td
                className="hidden whitespace-nowrap px-2 py-2 sm:px-3 text-right tabular-nums text-zinc-500 sm:table-cell dark:text-zinc-400"
                data-testid="ci"
              >
                <Interval entry={r} minVotes={minVotes} />
              </td>
              <td
                className="hidden px-2 py-2 sm:px-3 text-right tabular-nums sm:table-cell"
                data-testid="votes"
              >
                {fmtInt(r.votes)}
              </td>
              <td className="hidden px-2 py-2 sm:px-3 sm:table-cell">{r.organization}</td>
              <td className="hidden px-2 py-2 sm:px-3 md:table-cell">{r.license}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <IntervalFootnote entries={rows} minVotes={minVotes} />
      {rows.length === 0 && (
        <p className="px-3 py-6 text-center text-sm text-zinc-500 dark:text-zinc-400">
          No votes in this category yet.
        </p>
      )}
    </div>
  );
}

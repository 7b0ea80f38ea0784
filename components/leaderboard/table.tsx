import Link from "next/link";
import type { LeaderboardEntry } from "@/lib/arena/leaderboard";
import { fmtCi, fmtInt, fmtRating } from "./display";

function Delta({ value }: { value: number | null }) {
  if (value === null) return <span className="text-zinc-400">–</span>;
  if (value === 0) return <span className="text-zinc-500">0</span>;
  return value > 0 ? (
    <span className="text-emerald-600" title={`${value} places higher than overall`}>
      ▲{value}
    </span>
  ) : (
    <span className="text-rose-600" title={`${-value} places lower than overall`}>
      ▼{-value}
    </span>
  );
}

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
        <thead className="text-left text-xs uppercase tracking-wide text-zinc-500">
          <tr>
            <th
              className="px-2 py-2 sm:px-3"
              title="1 + the number of models that are statistically better"
            >
              Rank (UB)
            </th>
            {showDelta && (
              <th className="px-2 py-2" title="Overall rank − rank in this category">
                Δ
              </th>
            )}
            <th className="px-2 py-2 sm:px-3">Model</th>
            <th className="px-2 py-2 sm:px-3 text-right">Score</th>
            <th className="hidden px-2 py-2 sm:px-3 text-right sm:table-cell">95% CI</th>
            <th className="px-2 py-2 sm:px-3 text-right">Votes</th>
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
              className={`border-t border-zinc-100 dark:border-zinc-800 ${r.provisional ? "text-zinc-500" : ""}`}
            >
              <td className="px-2 py-2 sm:px-3 tabular-nums">{r.rank}</td>
              {showDelta && (
                <td className="px-2 py-2 tabular-nums">
                  <Delta value={r.delta} />
                </td>
              )}
              <td className="px-2 py-2 sm:px-3">
                <Link
                  href={`/models/${encodeURIComponent(r.model)}`}
                  className="font-medium text-zinc-900 hover:underline dark:text-zinc-100"
                >
                  {r.displayName}
                </Link>
                {r.provisional && (
                  <span
                    className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-[10px] font-medium uppercase text-amber-800 dark:bg-amber-900 dark:text-amber-200"
                    title={`Fewer than ${minVotes} votes: the score may still move a lot`}
                  >
                    provisional
                  </span>
                )}
                {r.deprecated && (
                  <span className="ml-2 rounded bg-zinc-200 px-1.5 py-0.5 text-[10px] font-medium uppercase text-zinc-700 dark:bg-zinc-700 dark:text-zinc-200">
                    deprecated
                  </span>
                )}
                <span className="block text-xs text-zinc-500 sm:hidden">{r.organization}</span>
              </td>
              <td
                className="px-2 py-2 sm:px-3 text-right font-semibold tabular-nums"
                data-testid="score"
              >
                {fmtRating(r.rating)}
                <span className="block text-xs font-normal text-zinc-500 sm:hidden">
                  {fmtCi(r.rating, r.ciLower, r.ciUpper)}
                </span>
              </td>
              <td className="hidden whitespace-nowrap px-2 py-2 sm:px-3 text-right tabular-nums text-zinc-500 sm:table-cell">
                {fmtCi(r.rating, r.ciLower, r.ciUpper)}
              </td>
              <td className="px-2 py-2 sm:px-3 text-right tabular-nums" data-testid="votes">
                {fmtInt(r.votes)}
              </td>
              <td className="hidden px-2 py-2 sm:px-3 sm:table-cell">{r.organization}</td>
              <td className="hidden px-2 py-2 sm:px-3 md:table-cell">{r.license}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && (
        <p className="px-3 py-6 text-center text-sm text-zinc-500">
          No votes in this category yet.
        </p>
      )}
    </div>
  );
}

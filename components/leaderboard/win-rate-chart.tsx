import type { LeaderboardEntry } from "@/lib/arena/leaderboard";

/** Average win rate against all other models (predicted by the fit), as horizontal bars. */
export function WinRateChart({ rows }: { rows: LeaderboardEntry[] }) {
  if (rows.length === 0) return null;
  const sorted = [...rows].sort((a, b) => b.winRate - a.winRate);
  return (
    <figure className="flex flex-col gap-2" data-testid="win-rate-chart">
      <figcaption className="text-sm font-semibold">
        Average win rate against all other models
      </figcaption>
      <ul className="flex flex-col gap-1">
        {sorted.map((r) => (
          <li
            key={r.model}
            className="grid grid-cols-[minmax(0,7.5rem)_1fr_2.5rem] items-center gap-2 text-xs sm:grid-cols-[minmax(0,10rem)_1fr_3rem]"
          >
            <span className="truncate text-zinc-700 dark:text-zinc-300" title={r.displayName}>
              {r.displayName}
            </span>
            <span className="h-3 rounded bg-zinc-100 dark:bg-zinc-800">
              <span
                className="block h-3 rounded bg-indigo-500"
                style={{ width: `${(r.winRate * 100).toFixed(1)}%` }}
              />
            </span>
            <span className="text-right tabular-nums">{Math.round(r.winRate * 100)}%</span>
          </li>
        ))}
      </ul>
    </figure>
  );
}

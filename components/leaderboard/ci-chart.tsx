import type { LeaderboardEntry } from "@/lib/arena/leaderboard";
import { fmtRating, tooFewVotesNote } from "./display";

/**
 * Each model's score as a dot with its 95% interval as a whisker, best first. Laid out in CSS
 * (positions in % of the plot's width) rather than a fixed SVG viewBox scaled to the screen,
 * so its text stays 12 px on a phone. A model with no meaningful interval yet gets a hollow dot
 * and no whisker, and does not stretch the axis.
 */
export function CiChart({ rows, minVotes }: { rows: LeaderboardEntry[]; minVotes: number }) {
  if (rows.length === 0) return null;
  const withInterval = rows.filter((r) => r.ciStatus === "estimated");
  const lo = Math.min(...rows.map((r) => r.rating), ...withInterval.map((r) => r.ciLower));
  const hi = Math.max(...rows.map((r) => r.rating), ...withInterval.map((r) => r.ciUpper));
  const pad = Math.max(5, (hi - lo) * 0.05);
  const [min, max] = [lo - pad, hi + pad];
  const at = (v: number) => ((v - min) / (max - min)) * 100;
  const pct = (v: number) => `${at(v).toFixed(2)}%`;
  const ticks = niceTicks(min, max, 5);
  const grid = ticks.map((t) => (
    <span
      key={t}
      className="absolute inset-y-0 w-px bg-zinc-200 dark:bg-zinc-800"
      style={{ left: pct(t) }}
    />
  ));
  return (
    <figure
      className="grid grid-cols-[minmax(0,7.5rem)_1fr] gap-x-2 pr-3 text-xs sm:grid-cols-[minmax(0,10rem)_1fr]"
      role="img"
      aria-label="Scores with 95% confidence intervals"
      data-testid="ci-chart"
    >
      {rows.map((r) => {
        const bounded = r.ciStatus === "estimated";
        return (
          <div
            key={r.model}
            className="col-span-2 grid grid-cols-subgrid"
            title={`${r.displayName}: ${fmtRating(r.rating)} ${bounded ? `(${fmtRating(r.ciLower)}–${fmtRating(r.ciUpper)})` : `— ${tooFewVotesNote(minVotes)}`}`}
          >
            <span className="truncate text-right leading-6 text-zinc-700 dark:text-zinc-300">
              {r.displayName}
            </span>
            <span className="relative h-6">
              {grid}
              {bounded && (
                <span
                  className="absolute top-1/2 h-0.5 -translate-y-1/2 bg-indigo-400"
                  style={{
                    left: pct(r.ciLower),
                    width: `${(at(r.ciUpper) - at(r.ciLower)).toFixed(2)}%`,
                  }}
                />
              )}
              <span
                className={`absolute top-1/2 size-2 -translate-x-1/2 -translate-y-1/2 rounded-full ${bounded ? (r.provisional ? "bg-zinc-400" : "bg-indigo-600") : "border border-zinc-500 bg-white dark:bg-zinc-900"}`}
                style={{ left: pct(r.rating) }}
              />
            </span>
          </div>
        );
      })}
      <span />
      <span className="relative h-5 text-zinc-500 dark:text-zinc-400">
        {ticks.map((t) => (
          <span key={t} className="absolute top-1 -translate-x-1/2" style={{ left: pct(t) }}>
            {t}
          </span>
        ))}
      </span>
    </figure>
  );
}

function niceTicks(min: number, max: number, count: number): number[] {
  const step = 10 ** Math.floor(Math.log10((max - min) / count));
  const nice =
    [1, 2, 5, 10].map((m) => m * step).find((s) => (max - min) / s <= count) ?? step * 10;
  const out: number[] = [];
  for (let t = Math.ceil(min / nice) * nice; t <= max; t += nice) out.push(Math.round(t));
  return out;
}

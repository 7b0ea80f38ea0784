import type { LeaderboardEntry } from "@/lib/arena/leaderboard";

/** Each model's score as a dot with its 95% interval as a whisker, best first. */
export function CiChart({ rows }: { rows: LeaderboardEntry[] }) {
  if (rows.length === 0) return null;
  const lo = Math.min(...rows.map((r) => r.ciLower));
  const hi = Math.max(...rows.map((r) => r.ciUpper));
  const pad = Math.max(5, (hi - lo) * 0.05);
  const [min, max] = [lo - pad, hi + pad];
  const rowH = 22;
  const labelW = 150;
  const width = 640;
  const plotW = width - labelW - 16;
  const x = (v: number) => labelW + ((v - min) / (max - min)) * plotW;
  const height = rows.length * rowH + 28;
  const ticks = niceTicks(min, max, 5);
  return (
    <svg
      viewBox={`0 0 ${width} ${height}`}
      className="w-full min-w-[340px]"
      role="img"
      aria-label="Scores with 95% confidence intervals"
      data-testid="ci-chart"
    >
      {ticks.map((t) => (
        <g key={t}>
          <line
            x1={x(t)}
            x2={x(t)}
            y1={0}
            y2={height - 20}
            className="stroke-zinc-200 dark:stroke-zinc-800"
          />
          <text x={x(t)} y={height - 6} textAnchor="middle" className="fill-zinc-500 text-[10px]">
            {t}
          </text>
        </g>
      ))}
      {rows.map((r, i) => {
        const y = i * rowH + rowH / 2 + 2;
        return (
          <g key={r.model}>
            <title>{`${r.displayName}: ${Math.round(r.rating)} (${Math.round(r.ciLower)}–${Math.round(r.ciUpper)})`}</title>
            <text
              x={labelW - 8}
              y={y + 4}
              textAnchor="end"
              className="fill-zinc-700 text-[11px] dark:fill-zinc-300"
            >
              {r.displayName.length > 22 ? `${r.displayName.slice(0, 21)}…` : r.displayName}
            </text>
            <line
              x1={x(r.ciLower)}
              x2={x(r.ciUpper)}
              y1={y}
              y2={y}
              strokeWidth={2}
              className="stroke-indigo-400"
            />
            <circle
              cx={x(r.rating)}
              cy={y}
              r={4}
              className={r.provisional ? "fill-zinc-400" : "fill-indigo-600"}
            />
          </g>
        );
      })}
    </svg>
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

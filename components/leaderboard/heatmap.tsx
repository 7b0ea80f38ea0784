/**
 * A square model × model matrix as colored cells with the value printed in each: the
 * win-fraction and battle-count figures LMArena publishes. Rows are the model on the left of
 * "vs", columns its opponent.
 */
export function Heatmap(props: {
  title: string;
  labels: string[];
  values: (number | null)[][];
  /** 0..1 intensity for a value. */
  scale: (v: number) => number;
  format: (v: number) => string;
  diverging?: boolean;
  testId?: string;
}) {
  const n = props.labels.length;
  if (n === 0) return null;
  const cell = 34;
  const labelW = 120;
  const top = 96;
  const size = labelW + n * cell + 4;
  const short = (s: string) => (s.length > 16 ? `${s.slice(0, 15)}…` : s);
  return (
    <figure className="flex flex-col gap-2">
      <figcaption className="text-sm font-semibold">{props.title}</figcaption>
      <div className="overflow-x-auto">
        <svg
          viewBox={`0 0 ${size} ${top + n * cell + 4}`}
          style={{ width: size, maxWidth: "none" }}
          role="img"
          aria-label={props.title}
          data-testid={props.testId}
        >
          {props.labels.map((l, j) => (
            <text
              key={`c${l}`}
              transform={`translate(${labelW + j * cell + cell / 2},${top - 6}) rotate(-55)`}
              className="fill-zinc-600 text-[10px] dark:fill-zinc-400"
            >
              {short(l)}
            </text>
          ))}
          {props.labels.map((l, i) => (
            <g key={`r${l}`}>
              <text
                x={labelW - 6}
                y={top + i * cell + cell / 2 + 4}
                textAnchor="end"
                className="fill-zinc-600 text-[10px] dark:fill-zinc-400"
              >
                {short(l)}
              </text>
              {props.labels.map((m, j) => {
                const v = props.values[i]?.[j] ?? null;
                const t = v === null ? 0 : props.scale(v);
                const fill =
                  v === null || i === j
                    ? "rgb(161 161 170 / 0.12)"
                    : props.diverging
                      ? t >= 0.5
                        ? `rgb(79 70 229 / ${((t - 0.5) * 2 * 0.85 + 0.05).toFixed(3)})`
                        : `rgb(225 29 72 / ${((0.5 - t) * 2 * 0.85 + 0.05).toFixed(3)})`
                      : `rgb(79 70 229 / ${(t * 0.85 + 0.05).toFixed(3)})`;
                return (
                  <g key={m}>
                    <rect
                      x={labelW + j * cell}
                      y={top + i * cell}
                      width={cell - 2}
                      height={cell - 2}
                      rx={3}
                      fill={fill}
                    >
                      <title>{`${l} vs ${m}: ${v === null || i === j ? "–" : props.format(v)}`}</title>
                    </rect>
                    {v !== null && i !== j && (
                      <text
                        x={labelW + j * cell + (cell - 2) / 2}
                        y={top + i * cell + cell / 2 + 2}
                        textAnchor="middle"
                        className="fill-zinc-900 text-[9px] dark:fill-zinc-100"
                      >
                        {props.format(v)}
                      </text>
                    )}
                  </g>
                );
              })}
            </g>
          ))}
        </svg>
      </div>
    </figure>
  );
}

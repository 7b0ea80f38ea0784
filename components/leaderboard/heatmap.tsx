"use client";

import { useState } from "react";
import { heatColor } from "./heat-color";

/** Above this many models the cells drop their numbers (each keeps a tooltip and hidden text). */
export const COMPACT_ABOVE = 20;

/**
 * A square model × model matrix as coloured cells: the win-fraction and battle-count figures
 * LMArena publishes. Rows are the model on the left of "vs", columns its opponent. It is a
 * real table in its own scroll box whose model names stay in view (sticky) while it scrolls,
 * so any number of models fits any screen; text is never scaled below 12 px.
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
  // touch screens show no title tooltips: a tapped cell's value is printed above the table
  const [picked, setPicked] = useState<string | null>(null);
  const n = props.labels.length;
  if (n === 0) return null;
  const compact = n > COMPACT_ABOVE;
  const cell = compact ? "h-4 min-w-4" : "h-8 min-w-10 px-1";
  const sticky = "sticky bg-white dark:bg-zinc-900";
  return (
    <figure className="flex min-w-0 flex-col gap-2">
      <figcaption className="text-sm font-semibold">{props.title}</figcaption>
      {compact && (
        <p className="text-xs text-zinc-500 dark:text-zinc-400" aria-live="polite">
          {picked ?? `${n} models: hover or tap a cell for its value.`}
        </p>
      )}
      <section
        className="relative max-h-[80vh] overflow-auto overscroll-contain"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scroll box must take focus so a keyboard can scroll it (WCAG 2.1.1)
        tabIndex={0}
        aria-label={props.title}
        data-testid={props.testId ? `${props.testId}-scroll` : undefined}
      >
        {/* biome-ignore lint/a11y/useKeyWithClickEvents: keyboards and screen readers get each value as the cell's text; the click is for touch screens, which show no tooltip */}
        <table
          className="border-separate border-spacing-0.5 text-xs tabular-nums"
          data-testid={props.testId}
          onClick={(e) => {
            const title = (e.target as HTMLElement).closest("td")?.title;
            if (compact && title) setPicked(title);
          }}
        >
          <thead>
            <tr>
              <th scope="col" className={`${sticky} left-0 top-0 z-20`}>
                <span className="sr-only">Model vs opponent</span>
              </th>
              {props.labels.map((l) => (
                <th
                  key={l}
                  scope="col"
                  className={`${sticky} top-0 z-10 p-0 align-bottom font-normal text-zinc-600 dark:text-zinc-400`}
                >
                  <span
                    className="mx-auto block max-h-36 rotate-180 truncate py-1 [writing-mode:vertical-rl]"
                    title={l}
                  >
                    {l}
                  </span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.labels.map((l, i) => (
              <tr key={l}>
                <th
                  scope="row"
                  className={`${sticky} left-0 z-10 pr-1.5 text-right font-normal text-zinc-600 dark:text-zinc-400`}
                >
                  <span className="block max-w-28 truncate sm:max-w-40" title={l}>
                    {l}
                  </span>
                </th>
                {props.labels.map((m, j) => {
                  const v = i === j ? null : (props.values[i]?.[j] ?? null);
                  if (v === null) {
                    return (
                      <td
                        key={m}
                        className={`${cell} rounded-sm bg-zinc-100 dark:bg-zinc-800`}
                        title={i === j ? undefined : `${l} vs ${m}: no battles`}
                      />
                    );
                  }
                  const text = props.format(v);
                  return (
                    <td
                      key={m}
                      className={`${cell} rounded-sm text-center`}
                      style={heatColor(props.scale(v), props.diverging ?? false)}
                      title={`${l} vs ${m}: ${text}`}
                    >
                      {compact ? <span className="sr-only">{text}</span> : text}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </figure>
  );
}

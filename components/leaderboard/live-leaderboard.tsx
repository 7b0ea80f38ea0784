"use client";

import { useEffect, useState } from "react";
import type { LeaderboardView } from "@/lib/arena/leaderboard";
import { CiChart } from "./ci-chart";
import { fmtInt, fmtPct, fmtTime } from "./display";
import { Heatmap } from "./heatmap";
import { LeaderboardTable } from "./table";
import { WinRateChart } from "./win-rate-chart";

const POLL_MS = 2000;
const HALF_WIDTH_MODELS = 10;

/**
 * The leaderboard, kept current without a reload: it polls the publication number of its
 * snapshot (a single integer, which moves when the server publishes a new fit) and fetches the
 * view only when that number moved.
 */
export function LiveLeaderboard({
  initial,
  includeDeprecated,
}: {
  initial: LeaderboardView;
  includeDeprecated: boolean;
}) {
  const [view, setView] = useState(initial);
  const [live, setLive] = useState(true);

  useEffect(() => setView(initial), [initial]);

  useEffect(() => {
    let stopped = false;
    let known = initial.version;
    const query = new URLSearchParams({
      category: initial.category,
      ci: initial.ci,
      ...(includeDeprecated ? { deprecated: "1" } : {}),
    });
    async function tick() {
      if (document.hidden) return;
      try {
        const { version } = (await (
          await fetch(`/api/leaderboard/version?${query}`, { cache: "no-store" })
        ).json()) as { version: number };
        if (version !== known) {
          const res = await fetch(`/api/leaderboard?${query}`, { cache: "no-store" });
          if (res.ok && !stopped) {
            const next = (await res.json()) as LeaderboardView;
            known = next.version;
            setView(next);
          }
        }
        if (!stopped) setLive(true);
      } catch {
        if (!stopped) setLive(false);
      }
    }
    const timer = setInterval(() => void tick(), POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [initial.version, initial.category, initial.ci, includeDeprecated]);

  // The leaderboard proper is the largest group of models that met; the others stand apart.
  const ranked = view.rows.filter((r) => r.component === 0);
  const apart = view.rows.filter((r) => r.component !== 0);
  const labels = ranked.map((r) => r.displayName);
  const names = new Map(view.rows.map((r) => [r.model, r.displayName]));
  // the heatmaps cover the best models only (the view's pairwise matrices)
  const pairLabels = view.pairwise.models.map((m) => names.get(m) ?? m);
  const maxBattles = Math.max(1, ...view.pairwise.battles.flat());
  // past a handful of models two heatmaps side by side would each scroll: give each the full width
  const wide = pairLabels.length > HALF_WIDTH_MODELS ? "lg:col-span-2" : "";
  const among =
    pairLabels.length < labels.length ? ` (the top ${pairLabels.length} of ${labels.length})` : "";
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-center gap-x-6 gap-y-1 text-sm text-zinc-600 dark:text-zinc-400">
        <dl className="contents" data-testid="leaderboard-summary">
          <div>
            <dt className="inline">Votes: </dt>
            <dd
              className="inline font-semibold text-zinc-900 tabular-nums dark:text-zinc-100"
              data-testid="total-votes"
            >
              {fmtInt(view.totalVotes)}
            </dd>
          </div>
          <div>
            <dt className="inline">Models: </dt>
            <dd className="inline font-semibold text-zinc-900 tabular-nums dark:text-zinc-100">
              {view.rows.length}
            </dd>
          </div>
          <div>
            <dt className="inline">Last update: </dt>
            <dd className="inline tabular-nums">{fmtTime(view.updatedAt)}</dd>
          </div>
        </dl>
        <p className="flex items-center gap-1.5" aria-live="polite">
          <span
            className={`inline-block size-2 rounded-full ${live ? "bg-emerald-500" : "bg-zinc-400"}`}
          />
          {live ? "Live" : "Reconnecting…"}
        </p>
      </div>
      <LeaderboardTable
        rows={ranked}
        showDelta={view.category !== "overall"}
        minVotes={view.minVotes}
      />
      {apart.length > 0 && (
        <section className="flex flex-col gap-2" data-testid="apart-models">
          <h2 className="text-base font-semibold">Models on a separate scale</h2>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            These models never met the ones above in a vote, not even through other models, so their
            scores cannot be compared with the ones above. They are ranked among themselves
            {new Set(apart.map((r) => r.component)).size > 1 ? ", group by group" : ""}.
          </p>
          <LeaderboardTable rows={apart} showDelta={false} minVotes={view.minVotes} />
        </section>
      )}
      {ranked.length > 0 && (
        <div className="grid gap-6 lg:grid-cols-2 [&>*]:min-w-0">
          <section className="card px-4 py-3">
            <h2 className="mb-2 text-sm font-semibold">
              Score with 95% confidence interval ({view.ci})
            </h2>
            <CiChart rows={ranked} minVotes={view.minVotes} />
          </section>
          <section className="card px-4 py-3">
            <WinRateChart rows={ranked} />
          </section>
          <section className={`card px-4 py-3 ${wide}`}>
            <Heatmap
              title={`Fraction of battles won by the row model against the column model (ties as half)${among}`}
              labels={pairLabels}
              values={view.pairwise.winFraction}
              scale={(v) => v}
              format={fmtPct}
              diverging
              testId="win-fraction-heatmap"
            />
          </section>
          <section className={`card px-4 py-3 ${wide}`}>
            <Heatmap
              title={`Battle count for each pair${among}`}
              labels={pairLabels}
              values={view.pairwise.battles}
              scale={(v) => v / maxBattles}
              format={(v) => fmtInt(v)}
              testId="battle-count-heatmap"
            />
          </section>
        </div>
      )}
    </div>
  );
}

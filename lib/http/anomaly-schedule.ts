import "server-only";
import { getDb } from "@/db";
import { sweepAnomalies } from "@/lib/arena/anomaly-sweep";
import { fitWorkerStarted } from "@/lib/arena/fit-worker/start";
import { anomalySettings } from "@/lib/env";

// One timer per process, even though Next bundles this module more than once.
const TIMER = Symbol.for("arena.anomalySweepTimer");
const store = globalThis as { [TIMER]?: NodeJS.Timeout };

/**
 * Runs the anomaly check (lib/arena/anomaly-sweep.ts) a few seconds after votes arrive, at most
 * once per ARENA_ANOMALY_INTERVAL_MS, never on a request's own path. A process with a fit
 * worker leaves it to the worker thread (fit-worker/thread.ts), off the event loop; this timer
 * is for one without (an in-memory database). The sweep keeps its high-water mark in the
 * database, so several processes may each run it.
 */
export function scheduleAnomalySweep(): void {
  if (store[TIMER] || fitWorkerStarted()) return;
  const { intervalMs, alpha, autoExclude } = anomalySettings();
  store[TIMER] = setTimeout(async () => {
    store[TIMER] = undefined;
    try {
      const r = await sweepAnomalies(await getDb(), { alpha, autoExclude });
      for (const f of r.flagged) console.warn(`[anomaly] ${f.kind} flagged: ${f.reason}`);
    } catch (e) {
      console.error("[anomaly] sweep failed", e);
    }
  }, intervalMs);
  store[TIMER].unref();
}

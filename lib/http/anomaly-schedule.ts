import "server-only";
import { getDb } from "@/db";
import { sweepAnomalies } from "@/lib/arena/anomaly-sweep";
import { anomalySettings } from "@/lib/env";

// One timer per process, even though Next bundles this module more than once.
const TIMER = Symbol.for("arena.anomalySweepTimer");
const store = globalThis as { [TIMER]?: NodeJS.Timeout };

/**
 * Runs the anomaly check (lib/arena/anomaly-sweep.ts) a few seconds after votes arrive, at most
 * once per ARENA_ANOMALY_INTERVAL_MS, never on a request's own path. The sweep keeps its
 * high-water mark in the database, so several processes may each run it.
 */
export function scheduleAnomalySweep(): void {
  if (store[TIMER]) return;
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

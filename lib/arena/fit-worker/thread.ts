import fs from "node:fs";
import os from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { type ArenaDb, closeDatabase, connectionOf, openDatabase } from "@/db/client";
import { sweepAnomalies } from "@/lib/arena/anomaly-sweep";
import { acquireLease, releaseLease } from "@/lib/arena/leases";
import { anomalySettings, leaderboardSettings } from "@/lib/env";
import { FIT_LEASE, LEASE_TTL_MS, type WorkerData, type WorkerMessage } from "./protocol";
import { refreshCategories, refreshOne } from "./schedule";

/** How often an idle worker looks at the tallies version (one indexed read). */
const TICK_MS = 250;

// Below the event loop that serves votes: when the cores are busy, requests go first and the
// next snapshot waits (Linux schedules threads as tasks; /proc/thread-self names this one).
try {
  const tid = Number(fs.readlinkSync("/proc/thread-self").split("/").pop());
  if (Number.isInteger(tid) && tid > 0) os.setPriority(tid, 10);
} catch {
  // not Linux, or not allowed: the default priority
}

const data = workerData as WorkerData;
const settings = leaderboardSettings();
const anomaly = anomalySettings();
const post = (m: WorkerMessage) => parentPort?.postMessage(m);
let stopping = false;

parentPort?.on("message", (m: { type: "stop" }) => {
  if (m.type === "stop") stopping = true;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Renewed when a third of the lease has passed: a write every few seconds, not at every tick. */
let renewedAt = 0;
async function holdLease(db: ArenaDb): Promise<boolean> {
  const now = Date.now();
  if (now - renewedAt < LEASE_TTL_MS / 3) return true;
  if (!(await acquireLease(db, FIT_LEASE, data.holder, LEASE_TTL_MS, now))) return false;
  renewedAt = now;
  return true;
}

/**
 * The anomaly check (lib/arena/anomaly-sweep.ts) at most once per ARENA_ANOMALY_INTERVAL_MS:
 * here, not on the event loop that answers votes, where its statistics over every new voter's
 * record held the loop for hundreds of ms at scale; and under the lease, so one process sweeps
 * for the deployment. A sweep with no new votes is one indexed read.
 */
let sweptAt = 0;
async function sweepIfDue(db: ArenaDb): Promise<void> {
  const now = Date.now();
  if (now - sweptAt < anomaly.intervalMs) return;
  sweptAt = now;
  try {
    const r = await sweepAnomalies(db, anomaly);
    for (const f of r.flagged) console.warn(`[anomaly] ${f.kind} flagged: ${f.reason}`);
  } catch (e) {
    console.error("[anomaly] sweep failed", e);
  }
}

async function run() {
  const db = await openDatabase(data.databaseUrl);
  post({ type: "ready" });
  while (!stopping) {
    let worked = false;
    if (await holdLease(db)) {
      await sweepIfDue(db);
      await refreshCategories(db);
      const step = await refreshOne(db, settings, data.defaultMethod);
      if (step) {
        worked = true;
        post({ type: "published", ...step });
      }
    }
    // Copy the write-ahead log into the database here, off the event loop: otherwise the commit
    // that finds the log past 1,000 pages does it, and that is a vote's commit on the main
    // thread (a snapshot alone writes hundreds of KB). PASSIVE: it never waits for a writer.
    // SQLite only: PostgreSQL checkpoints on its own.
    connectionOf(db).sqlite?.pragma("wal_checkpoint(PASSIVE)");
    // after a fit, only a turn of the event loop (to hear "stop"); idle, a tick
    await sleep(worked ? 0 : TICK_MS);
  }
  await releaseLease(db, FIT_LEASE, data.holder);
  await closeDatabase(db);
  // the "message" listener would keep the thread alive
  process.exit(0);
}

run().catch((e) => {
  post({ type: "failed", message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  process.exit(1);
});

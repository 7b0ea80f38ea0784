import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { databasePath } from "@/db/client";
import type { LeaderboardMethod } from "@/lib/arena/leaderboard";
import type { WorkerData, WorkerMessage } from "./protocol";

/**
 * Starts this process's fit worker: a thread that computes the leaderboards and publishes them
 * as snapshots (schedule.ts), so no request ever fits. Every app process starts one; a lease in
 * the database lets one of them work at a time for the whole deployment, the others stand by.
 * A worker that crashes is restarted after a pause. Once per process, however many times Next
 * loads this module.
 */
export function startFitWorker(opts: {
  databaseUrl: string;
  defaultMethod: LeaderboardMethod;
  log?: (line: string) => void;
}): void {
  const store = globalThis as { [STATE]?: State };
  if (store[STATE]) return;
  // a thread's own connection to ":memory:" is another, empty database: fit on the request then
  if (databasePath(opts.databaseUrl) === ":memory:") return;
  const state: State = {
    holder: `${os.hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`,
    running: false,
  };
  store[STATE] = state;
  const log = opts.log ?? ((line: string) => console.log(line));
  const spawn = () => {
    const data: WorkerData = {
      root: process.cwd(),
      databaseUrl: opts.databaseUrl,
      holder: state.holder,
      defaultMethod: opts.defaultMethod,
    };
    const worker = new Worker(WORKER_ENTRY, { workerData: data });
    // never what keeps a finished process (the CLI, a test) alive
    worker.unref();
    state.worker = worker;
    worker.on("message", (m: WorkerMessage) => {
      if (m.type === "ready") state.running = true;
      if (m.type === "failed") log(`The leaderboard fit worker failed: ${m.message}`);
    });
    worker.on("error", (e) => log(`The leaderboard fit worker failed: ${e.stack ?? e.message}`));
    worker.on("exit", (code) => {
      state.running = false;
      state.worker = undefined;
      if (state.stopped) return;
      log(`The leaderboard fit worker exited (${code}); restarting in ${RESTART_MS / 1000} s.`);
      setTimeout(spawn, RESTART_MS).unref();
    });
  };
  spawn();
}

/** Whether this process has a fit worker (running or starting): readers then wait for its snapshots instead of fitting. */
export function fitWorkerStarted(): boolean {
  return Boolean((globalThis as { [STATE]?: State })[STATE]);
}

/** Stops the worker (tests; a clean shutdown releases the lease for the next process at once). */
export async function stopFitWorker(): Promise<void> {
  const store = globalThis as { [STATE]?: State };
  const state = store[STATE];
  if (!state) return;
  state.stopped = true;
  const worker = state.worker;
  store[STATE] = undefined;
  if (!worker) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => void worker.terminate().then(() => resolve()), 10_000);
    worker.on("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    worker.postMessage({ type: "stop" });
  });
}

const STATE = Symbol.for("arena.fitWorker");
const RESTART_MS = 5_000;
/** Loaded from the checkout, like the bcrypt worker: Next does not bundle it (see entry.mjs). */
const WORKER_ENTRY = path.join(process.cwd(), "lib", "arena", "fit-worker", "entry.mjs");

interface State {
  holder: string;
  running: boolean;
  worker?: Worker;
  stopped?: boolean;
}

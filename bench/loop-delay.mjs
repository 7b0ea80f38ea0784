// Preloaded into a benchmark's server (`node --import ./bench/loop-delay.mjs scripts/server.mjs`):
// watches the event loop. On SIGUSR2 it writes what it saw since the previous signal to
// $LOOP_DELAY_FILE (milliseconds) and starts afresh, so a benchmark can bracket a window (idle,
// an import) without touching the server's code. Two views:
//   max, p99, p50: monitorEventLoopDelay, how late a 5 ms timer fired, whatever the cause;
//   heldMax, heldP99 (Linux): of each gap between 2 ms ticks, the time the main thread was on a
//     CPU (/proc/thread-self/schedstat), i.e. how long the server's own work held the loop. On a
//     shared machine a gap also holds time spent waiting for a CPU (runqueueMax), which no code
//     in the server can shorten.
import fs from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";

const histogram = monitorEventLoopDelay({ resolution: 5 });
histogram.enable();

const SCHEDSTAT = "/proc/thread-self/schedstat";
const hasSchedstat = fs.existsSync(SCHEDSTAT);
const sched = () => fs.readFileSync(SCHEDSTAT, "utf8").split(" ").map(Number);
let held = [];
let runqueueMax = 0;
if (hasSchedstat) {
  let last = sched();
  setInterval(() => {
    const now = sched();
    held.push((now[0] - last[0]) / 1e6);
    runqueueMax = Math.max(runqueueMax, (now[1] - last[1]) / 1e6);
    last = now;
  }, 2).unref();
}

process.on("SIGUSR2", () => {
  const ms = (ns) => Math.round(ns / 1e4) / 100;
  const sorted = held.sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? null;
  const stats = {
    max: ms(histogram.max),
    p99: ms(histogram.percentile(99)),
    p50: ms(histogram.percentile(50)),
    heldMax: hasSchedstat ? Math.round(at(1) * 100) / 100 : null,
    heldP99: hasSchedstat ? Math.round(at(0.99) * 100) / 100 : null,
    runqueueMax: hasSchedstat ? Math.round(runqueueMax * 100) / 100 : null,
    samples: histogram.count,
    at: Date.now(),
  };
  histogram.reset();
  held = [];
  runqueueMax = 0;
  if (process.env.LOOP_DELAY_FILE)
    fs.writeFileSync(process.env.LOOP_DELAY_FILE, JSON.stringify(stats));
});

// bcrypt runs here, on a worker thread, never on the server's event loop: one check costs about
// a quarter second of CPU, and on the main thread a flood of sign-ins would stall every vote.
// Loaded by lib/auth/password.ts from the checkout (not bundled by Next), one job at a time.
import fs from "node:fs";
import os from "node:os";
import { parentPort } from "node:worker_threads";
import bcrypt from "bcryptjs";

// The lowest CPU priority for this thread alone (Linux schedules threads as tasks, and
// /proc/thread-self names this one): when cores are short, the event loop serving votes goes
// first and sign-ins wait. Elsewhere the thread keeps the default priority.
try {
  const tid = Number(fs.readlinkSync("/proc/thread-self").split("/").pop());
  if (Number.isInteger(tid) && tid > 0) os.setPriority(tid, 19);
} catch {
  // not Linux, or not allowed: the default priority
}

parentPort?.on("message", (job) => {
  try {
    // The synchronous calls: this thread has nothing else to do, and they skip the async
    // versions' setImmediate slicing.
    const result =
      job.op === "hash"
        ? bcrypt.hashSync(job.password, job.cost)
        : bcrypt.compareSync(job.password, job.hash);
    parentPort?.postMessage({ id: job.id, result });
  } catch (e) {
    parentPort?.postMessage({ id: job.id, error: e instanceof Error ? e.message : String(e) });
  }
});

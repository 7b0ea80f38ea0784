// bcrypt runs here, on a worker thread, never on the server's event loop: one check costs about
// a quarter second of CPU, and on the main thread a flood of sign-ins would stall every vote.
// Loaded by lib/auth/password.ts from the checkout (not bundled by Next), one job at a time.
import { parentPort } from "node:worker_threads";
import bcrypt from "bcryptjs";

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

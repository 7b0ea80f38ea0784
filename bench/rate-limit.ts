/**
 * What the database-held rate limit costs per request, in-process: countRequest (one upsert of
 * the voter's and the address's four windows in its own transaction) on a file database in WAL
 * mode, as the server opens it. Compare with bench/load.ts's "server CPU per vote incl. its
 * battle" (a vote and its battle make two counted requests).
 *
 *   npx tsx bench/rate-limit.ts [--requests 50000] [--voters 64] [--addresses 4]
 */
import { parseArgs } from "node:util";
import { openDatabase } from "../db/client";
import { countRequest } from "../lib/arena/rate-limit";
import { rateLimitSettings } from "../lib/env";
import { freshDatabase, removeDatabase } from "../tests/helpers/server-harness";
import { percentile } from "./support";

const { values } = parseArgs({
  options: {
    requests: { type: "string", default: "50000" },
    voters: { type: "string", default: "64" },
    addresses: { type: "string", default: "4" },
  },
});
const N = Number(values.requests);
const VOTERS = Number(values.voters);
const ADDRESSES = Number(values.addresses);

const file = freshDatabase(`rate-limit-${process.pid}`);
const db = openDatabase(`file:${file}`);
// The default windows, with maxima no run reaches: every request is counted, none refused.
const limits = rateLimitSettings();
const huge = (list: typeof limits.voter) => list.map((l) => ({ ...l, max: 1e12 }));
const open = { voter: huge(limits.voter), address: huge(limits.address) };

const keys = Array.from({ length: VOTERS }, (_, i) => ({
  voter: `voter-${i}-${"x".repeat(16)}`,
  address: `address-${i % ADDRESSES}-${"y".repeat(12)}`,
}));
for (const k of keys) countRequest(db, "vote", k, open); // windows exist: the steady state

const ms: number[] = [];
const cpu0 = process.cpuUsage();
const t0 = performance.now();
for (let i = 0; i < N; i++) {
  const t = performance.now();
  countRequest(db, i % 2 ? "vote" : "battle", keys[i % VOTERS] as (typeof keys)[number], open);
  ms.push(performance.now() - t);
}
const wall = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
db.$client.close();
ms.sort((a, b) => a - b);
removeDatabase(file);

const us = (v: number) => (v * 1000).toFixed(1);
console.log(
  JSON.stringify(
    {
      requests: N,
      "wall µs/request": us(wall / N),
      "CPU µs/request": ((cpu.user + cpu.system) / N).toFixed(1),
      "p50 µs": us(percentile(ms, 0.5)),
      "p99 µs": us(percentile(ms, 0.99)),
    },
    null,
    2,
  ),
);

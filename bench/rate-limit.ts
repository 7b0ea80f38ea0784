/**
 * What counting the rate limits in the database adds to a battle + vote, in-process (no HTTP):
 * createBattle + castVote on a fresh demo database, in alternating blocks with and without their
 * rate-limit windows counted (maxima no run reaches), so that drift in a shared machine's load
 * falls on both alike. Prints the CPU per battle + vote of each and the difference.
 *
 *   npx tsx bench/rate-limit.ts [--blocks 40] [--block 500] [--voters 64]
 */
import { parseArgs } from "node:util";
import { closeDatabase, openDatabase } from "../db/client";
import { castVote, createBattle } from "../lib/arena/battles";
import { seedDemoDataIfEmpty } from "../lib/arena/demo-data";
import type { LimitedAction, LimitedRequest } from "../lib/arena/rate-limit";
import { newVoterId } from "../lib/arena/voter-id";
import { rateLimitSettings } from "../lib/env";
import { freshDatabase, removeDatabase, WINNERS } from "../tests/helpers/server-harness";

const { values } = parseArgs({
  options: {
    blocks: { type: "string", default: "40" },
    block: { type: "string", default: "500" },
    voters: { type: "string", default: "64" },
  },
});
const BLOCKS = Number(values.blocks);
const BLOCK = Number(values.block);

const file = freshDatabase(`rate-limit-${process.pid}`);
const db = await openDatabase(`file:${file}`);
await seedDemoDataIfEmpty(db);
const windows = rateLimitSettings();
const unreached = (list: typeof windows.voter) => list.map((l) => ({ ...l, max: 1e12 }));
const limits = { voter: unreached(windows.voter), address: unreached(windows.address) };
const voters = Array.from({ length: Number(values.voters) }, newVoterId);

let i = 0;
async function battleAndVote(counted: boolean): Promise<void> {
  const voterId = voters[i % voters.length] as string;
  const rateLimit = (action: LimitedAction): LimitedRequest | undefined =>
    counted ? { action, voter: voterId, address: "bench-address", limits } : undefined;
  const b = await createBattle(db, voterId, { rateLimit: rateLimit("battle") });
  await castVote(db, {
    battleId: b.id,
    voterId,
    winner: WINNERS[i % 4] as (typeof WINNERS)[number],
    ttlMs: 3_600_000,
    rateLimit: rateLimit("vote"),
  });
  i++;
}

for (let k = 0; k < 2000; k++) await battleAndVote(k % 2 === 0); // JIT, statement caches, windows
const cpuUs = { off: 0, counted: 0 };
for (let block = 0; block < BLOCKS; block++) {
  const counted = block % 2 === 1;
  const c0 = process.cpuUsage();
  for (let k = 0; k < BLOCK; k++) await battleAndVote(counted);
  const c = process.cpuUsage(c0);
  cpuUs[counted ? "counted" : "off"] += c.user + c.system;
}
await closeDatabase(db);
removeDatabase(file);

const per = (us: number) => us / ((BLOCKS / 2) * BLOCK);
console.log(
  `CPU per battle + vote: ${per(cpuUs.off).toFixed(0)} µs without rate limits, ${per(cpuUs.counted).toFixed(0)} µs with them counted: +${(per(cpuUs.counted) - per(cpuUs.off)).toFixed(0)} µs (two counted requests)`,
);

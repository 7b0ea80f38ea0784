/**
 * The vote path without HTTP: createBattle + castVote in-process on a fresh demo database, to
 * see what the domain layer (matchmaking, leak check, drizzle, SQLite, commit) costs per vote
 * apart from the route layer. Compare with bench/load.ts's "server CPU per vote".
 *
 *   npx tsx bench/vote-path.ts [--votes 20000] [--voters 64] [--votes-per-voter 0]
 *                              [--synchronous FULL|NORMAL] [--statements] [--rate-limit]
 *
 * --statements times every SQLite statement by its SQL text; --votes-per-voter N makes each voter
 * slot a new anonymous voter every N votes (0: the same voters throughout, who then run through
 * every prompt of the demo set again and again). --rate-limit counts each battle and vote against
 * the default rate-limit windows (maxima no run reaches) in its transaction, as the server does
 * with ARENA_RATE_LIMIT=1: compare with and without for what the limits cost.
 */
import { parseArgs } from "node:util";
import { closeDatabase, connectionOf, openDatabase } from "../db/client";
import { castVote, createBattle } from "../lib/arena/battles";
import { seedDemoDataIfEmpty } from "../lib/arena/demo-data";
import type { LimitedAction, LimitedRequest } from "../lib/arena/rate-limit";
import { newVoterId } from "../lib/arena/voter-id";
import { rateLimitSettings } from "../lib/env";
import { freshDatabase, removeDatabase, WINNERS } from "../tests/helpers/server-harness";
import { percentile } from "./support";

const { values } = parseArgs({
  options: {
    votes: { type: "string", default: "20000" },
    voters: { type: "string", default: "64" },
    synchronous: { type: "string" },
    statements: { type: "boolean", default: false },
    "rate-limit": { type: "boolean", default: false },
    /** A voter slot becomes a new anonymous voter after this many votes (0: never). */
    "votes-per-voter": { type: "string", default: "0" },
  },
});
const N = Number(values.votes);
const file = freshDatabase(`vote-path-${process.pid}`);
const db = await openDatabase(`file:${file}`);
await seedDemoDataIfEmpty(db);
// SQLite's own settings and statements: this benchmark measures the vote path on SQLite.
const sqliteHandle = connectionOf(db).sqlite;
if (!sqliteHandle) throw new Error("bench/vote-path.ts runs on an SQLite file");
if (values.synchronous) sqliteHandle.pragma(`synchronous = ${values.synchronous}`);
const sync = sqliteHandle.pragma("synchronous", { simple: true });

/** --statements: time every statement the vote path runs, by SQL text. */
const bySql = new Map<string, { n: number; us: number }>();
if (values.statements) {
  const sqlite = sqliteHandle as unknown as { prepare: (sql: string) => Record<string, unknown> };
  const prepare = sqlite.prepare.bind(sqlite);
  sqlite.prepare = (sql: string) => {
    const stmt = prepare(sql);
    for (const m of ["run", "get", "all", "iterate"]) {
      const fn = stmt[m] as (...a: unknown[]) => unknown;
      stmt[m] = (...args: unknown[]) => {
        const t = performance.now();
        try {
          return fn.apply(stmt, args);
        } finally {
          const e = bySql.get(sql) ?? { n: 0, us: 0 };
          e.n++;
          e.us += (performance.now() - t) * 1000;
          bySql.set(sql, e);
        }
      };
    }
    return stmt;
  };
}
const voters = Array.from({ length: Number(values.voters) }, newVoterId);
const PER_VOTER = Number(values["votes-per-voter"]);
/** The voter of the i-th vote: slots in turn, each slot a new voter every PER_VOTER of its votes. */
function voterOf(i: number): string {
  const slot = i % voters.length;
  if (PER_VOTER > 0 && i >= voters.length && Math.floor(i / voters.length) % PER_VOTER === 0)
    voters[slot] = newVoterId();
  return voters[slot] as string;
}

const windows = rateLimitSettings();
const unreached = (list: typeof windows.voter) => list.map((l) => ({ ...l, max: 1e12 }));
const limits = { voter: unreached(windows.voter), address: unreached(windows.address) };
const rateLimit = (action: LimitedAction, voter: string): LimitedRequest | undefined =>
  values["rate-limit"] ? { action, voter, address: "bench-address", limits } : undefined;

const battleUs: number[] = [];
const voteUs: number[] = [];
const ttlMs = 3_600_000;
// warm-up: JIT and the statement caches
for (let i = 0; i < 2000; i++) {
  if (i === 1999) bySql.clear();
  const voterId = voterOf(i);
  const b = await createBattle(db, voterId, { rateLimit: rateLimit("battle", voterId) });
  await castVote(db, {
    battleId: b.id,
    voterId,
    winner: WINNERS[i % 4] as (typeof WINNERS)[number],
    ttlMs,
    rateLimit: rateLimit("vote", voterId),
  });
}
const t0 = performance.now();
const cpu0 = process.cpuUsage();
for (let i = 0; i < N; i++) {
  const voterId = voterOf(i);
  let t = performance.now();
  const b = await createBattle(db, voterId, { rateLimit: rateLimit("battle", voterId) });
  const t1 = performance.now();
  battleUs.push((t1 - t) * 1000);
  t = t1;
  await castVote(db, {
    battleId: b.id,
    voterId,
    winner: WINNERS[i % 4] as (typeof WINNERS)[number],
    ttlMs,
    rateLimit: rateLimit("vote", voterId),
  });
  voteUs.push((performance.now() - t) * 1000);
}
const totalMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
if (values.statements) {
  console.log("time in SQLite by statement (µs per vote, calls per vote):");
  for (const [sql, e] of [...bySql].sort((a, b) => b[1].us - a[1].us).slice(0, 20))
    console.log(
      `${(e.us / N).toFixed(1).padStart(7)} µs ${(e.n / N).toFixed(2).padStart(6)}×  ${sql.replace(/\s+/g, " ").slice(0, 150)}`,
    );
}
await closeDatabase(db);
removeDatabase(file);

const show = (name: string, xs: number[]) => {
  const s = xs.sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  console.log(
    `${name.padEnd(12)} mean ${mean.toFixed(0).padStart(5)} µs   p50 ${percentile(s, 0.5).toFixed(0).padStart(5)}   p99 ${percentile(s, 0.99).toFixed(0).padStart(5)}`,
  );
};
console.log(
  `${N} votes, ${voters.length} voters${PER_VOTER ? ` (new ones every ${PER_VOTER} votes)` : ""}, synchronous=${sync} (0 off, 1 normal, 2 full), rate limits ${values["rate-limit"] ? "counted" : "off"}`,
);
show("createBattle", battleUs);
show("castVote", voteUs);
console.log(
  `→ ${(N / (totalMs / 1000)).toFixed(0)} votes/s on one core without HTTP (${((totalMs * 1000) / N).toFixed(0)} µs wall, ${((cpu.user + cpu.system) / N).toFixed(0)} µs CPU per battle + vote)`,
);

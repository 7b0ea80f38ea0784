/**
 * Several app processes on one PostgreSQL database (issue #9 §3–4): three production servers
 * (scripts/server.mjs) share a fresh database, which they migrate themselves as they start
 * together (one migrates under an advisory lock while the others wait), and this file talks to
 * them over HTTP only. Nothing that matters may live in one process: the one-vote rule, the
 * tallies, the rate limits, the leaderboard snapshots and the fit worker's lease are all in the
 * database. Runs when DATABASE_URL is postgres:// (`npx tsx scripts/with-postgres.ts npx
 * playwright test e2e/multi-process.spec.ts`); SQLite is one process by design, so it is skipped.
 */
import { sql } from "drizzle-orm";
import { type ArenaDb, closeDatabase, openDatabase } from "../db/client";
import { dialectOf } from "../db/dialect";
import { rows } from "../db/rows";
import { FIT_LEASE, LEASE_TTL_MS } from "../lib/arena/fit-worker/protocol";
import { readTallies, talliesFromBattles } from "../lib/arena/tallies";
import { battleWinners, compareTallies, countVotedBattles } from "../tests/helpers/db-check";
import { onServer, withDatabase } from "../tests/helpers/postgres";
import {
  type ArenaServer,
  HttpClient,
  killAllServers,
  sleep,
  startServer,
  Voter,
  WINNERS,
  type Winner,
} from "../tests/helpers/server-harness";
import { expect, test } from "./fixtures";
import { BASE_PORT, DEFAULT_SERVER_ENV } from "./support/servers";

const SERVER_URL = process.env.DATABASE_URL ?? "";
const ON_POSTGRES = dialectOf(SERVER_URL) === "postgres";
/** How long the 3 × 16 voters of the counting test vote. */
const VOTE_MS = Number(process.env.E2E_MP_VOTE_SECONDS ?? 30) * 1000;
const PROCESSES = 3;

test.skip(
  !ON_POSTGRES,
  "several app processes need a shared PostgreSQL (DATABASE_URL=postgres://…, e.g. under scripts/with-postgres.ts); SQLite is one process by design",
);
// It starts its servers itself: no per-file server (e2e/fixtures.ts).
test.use({ specServer: false });
test.describe.configure({ mode: "serial" });
test.afterAll(() => killAllServers());

// ---------------------------------------------------------------------------------------------
// A deployment: one fresh database, three processes

interface Node {
  server: ArenaServer;
  client: HttpClient;
}

interface Deployment {
  name: string;
  nodes: Node[];
  /** The test's own connection to the database, for the checks (never migrates). */
  db: ArenaDb;
}

/**
 * A new database (CREATE DATABASE on DATABASE_URL's server, empty: the servers migrate it and
 * load the demo set) and three servers started on it at the same time.
 */
async function deploy(tag: string, env: Record<string, string>, firstPort: number) {
  const name = `arena_mp_${tag}_${process.pid}_${Date.now()}`;
  await onServer(SERVER_URL, (c) => c.query(`create database ${name}`));
  const databaseUrl = withDatabase(SERVER_URL, name);
  const started = performance.now();
  const servers = await Promise.all(
    Array.from({ length: PROCESSES }, (_, i) =>
      startServer({
        port: firstPort + i,
        databaseUrl,
        env: { ...DEFAULT_SERVER_ENV, ARENA_RATE_LIMIT: "0", ...env },
        readyTimeoutMs: 150_000,
      }),
    ),
  );
  note(
    "start-up",
    `${PROCESSES} servers on ${name} (migrated and seeded by themselves) ready in ${Math.round(performance.now() - started)} ms`,
  );
  const nodes = servers.map((server) => ({
    server,
    client: new HttpClient(server.url, { maxSockets: 64 }),
  }));
  const db = await openDatabase(databaseUrl, { migrate: false });
  return { name, nodes, db } satisfies Deployment;
}

async function teardown(d: Deployment | undefined): Promise<void> {
  if (!d) return;
  for (const n of d.nodes) n.client.close();
  await Promise.all(d.nodes.map((n) => n.server.stop()));
  await closeDatabase(d.db);
  await onServer(SERVER_URL, (c) => c.query(`drop database if exists ${d.name} with (force)`));
}

// ---------------------------------------------------------------------------------------------
// What the database says

/** Cells whose stored tally differs from a recompute from the battles (`npm run arena -- recompute`'s code). */
async function tallyMismatches(db: ArenaDb) {
  return compareTallies(await readTallies(db), await talliesFromBattles(db));
}

/** The process (pid) whose fit worker holds the deployment's lease, if any. */
async function fitLeasePid(db: ArenaDb): Promise<number | undefined> {
  const [lease] = await rows<{ holder: string }>(
    db,
    sql`select holder from leases where name = ${FIT_LEASE}`,
  );
  // the holder is `host:pid:random` (lib/arena/fit-worker/start.ts)
  return lease ? Number(lease.holder.split(":")[1]) : undefined;
}

/** The published overall snapshot (the default method's) and the tallies version now. */
async function published(db: ArenaDb) {
  const [head] = await rows<{ seq: number; tallies_version: number }>(
    db,
    sql`select seq, tallies_version from leaderboard_snapshots where category = 'overall' and method = 'bootstrap'`,
  );
  const [tallies] = await rows<{ value: number }>(
    db,
    sql`select value from counters where name = 'tallies'`,
  );
  return { seq: head?.seq, talliesVersion: head?.tallies_version, now: tallies?.value };
}

/** What a process serves as GET /api/leaderboard: its ETag and the body's version. */
async function servedBoard(n: Node): Promise<string> {
  const r = await n.client.request("GET", "/api/leaderboard");
  if (r.status !== 200) return `${r.status}`;
  return `${r.headers.etag} v${(JSON.parse(r.body) as { version: number }).version}`;
}

const boardOf = (seq: number | undefined) => `W/"${seq}" v${seq}`;

// ---------------------------------------------------------------------------------------------
// Voting

/** A measured figure: in the report's annotations and on the console. */
function note(type: string, description: string): void {
  test.info().annotations.push({ type, description });
  console.log(`${type}: ${description}`);
}

const randomWinner = () => WINNERS[Math.floor(Math.random() * WINNERS.length)] as Winner;

interface Load {
  /** Acknowledged (2xx) votes: battle id → winner and the voter's cookie. */
  acks: Map<string, { winner: Winner; cookie: string; node: number }>;
  /** Votes sent and not answered: their outcome is unknown to the voter. */
  inFlight: Map<string, Winner>;
  /** Answers that should not happen, per node. */
  unexpected: string[];
  /** 2xx votes per node. */
  perNode: number[];
  stop(): void;
  done: Promise<void>;
}

/**
 * `perNode` voters per process, each with a cookie of its own, each drawing its battles on its
 * home process and voting on the next one in turn (a battle is not tied to the process that drew
 * it). `alive(i)` says whether node i may be asked; a voter whose home is dead moves on.
 */
function startVoting(nodes: Node[], perNode: number, alive: (i: number) => boolean): Load {
  let stopped = false;
  const load: Load = {
    acks: new Map(),
    inFlight: new Map(),
    unexpected: [],
    perNode: nodes.map(() => 0),
    stop: () => {
      stopped = true;
    },
    done: Promise.resolve(),
  };
  const pick = (from: number) => {
    for (let k = 0; k < nodes.length; k++) {
      const i = (from + k) % nodes.length;
      if (alive(i)) return i;
    }
    throw new Error("no process left");
  };
  const voterLoop = async (home: number) => {
    const voters = nodes.map((n) => new Voter(n.client));
    let cookie: string | undefined;
    for (let turn = 0; !stopped; turn++) {
      const b = pick(home);
      const battleVoter = voters[b] as Voter;
      battleVoter.cookie = cookie;
      let battleId: string;
      try {
        const r = await battleVoter.createBattle();
        cookie = battleVoter.cookie;
        if (!r.battle) {
          load.unexpected.push(`node ${b} POST /api/battles → ${r.status} ${r.body}`);
          return;
        }
        battleId = r.battle.id;
      } catch (e) {
        // a process killed under the request: the voter goes on with another
        if (!alive(b)) continue;
        load.unexpected.push(`node ${b} POST /api/battles: ${(e as Error).message}`);
        return;
      }
      const v = pick(home + 1 + (turn % (nodes.length - 1)));
      const voteVoter = voters[v] as Voter;
      voteVoter.cookie = cookie;
      const winner = randomWinner();
      load.inFlight.set(battleId, winner);
      try {
        const r = await voteVoter.vote(battleId, winner);
        load.inFlight.delete(battleId);
        if (r.status >= 200 && r.status < 300) {
          load.acks.set(battleId, { winner, cookie: cookie ?? "", node: v });
          load.perNode[v] = (load.perNode[v] ?? 0) + 1;
        } else {
          load.unexpected.push(`node ${v} vote → ${r.status} ${r.body}`);
          return;
        }
      } catch (e) {
        // Unanswered because its process was killed: it stays in flight, its outcome unknown.
        if (!alive(v)) continue;
        load.inFlight.delete(battleId);
        load.unexpected.push(`node ${v} vote: ${(e as Error).message}`);
        return;
      }
    }
  };
  load.done = Promise.all(
    nodes.flatMap((_, home) => Array.from({ length: perNode }, () => voterLoop(home))),
  ).then(() => undefined);
  return load;
}

/** Every acknowledged vote is stored with the winner sent; what went missing or differs. */
async function lostVotes(db: ArenaDb, load: Load): Promise<string[]> {
  const stored = await battleWinners(db, [...load.acks.keys()]);
  const bad: string[] = [];
  for (const [id, ack] of load.acks) {
    const w = stored.get(id);
    if (w !== ack.winner)
      bad.push(`${id}: acknowledged ${ack.winner} on node ${ack.node}, stored ${w}`);
  }
  return bad;
}

// ---------------------------------------------------------------------------------------------

test.describe("three processes, limits off", () => {
  let d: Deployment | undefined;

  test.beforeAll(async () => {
    test.setTimeout(240_000);
    d = await deploy("open", {}, BASE_PORT + 60);
  });
  test.afterAll(async () => {
    await teardown(d);
  });

  test("20 concurrent votes on one battle, spread over the processes: exactly one is accepted", async () => {
    const { nodes, db } = d as Deployment;
    const before = await countVotedBattles(db);
    const rounds = 5;
    for (let round = 0; round < rounds; round++) {
      const voter = new Voter((nodes[round % PROCESSES] as Node).client);
      const b = await voter.createBattle();
      expect(b.status, b.body).toBe(201);
      const id = b.battle?.id as string;
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => {
          const v = new Voter((nodes[i % PROCESSES] as Node).client);
          v.cookie = voter.cookie;
          return v.vote(id, WINNERS[i % WINNERS.length] as Winner);
        }),
      );
      const statuses = answers.map((a) => a.status).sort();
      expect(
        statuses.filter((s) => s === 200),
        `round ${round}: ${statuses}`,
      ).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(19);
      for (const a of answers.filter((x) => x.status === 409))
        expect(JSON.parse(a.body).code).toBe("already_voted");
    }
    expect(await countVotedBattles(db)).toBe(before + rounds);
    expect(await tallyMismatches(db)).toEqual([]);
  });

  test("3 × 16 voters: every acknowledged vote is counted exactly once", async () => {
    test.setTimeout(VOTE_MS + 120_000);
    const { nodes, db } = d as Deployment;
    const before = await countVotedBattles(db);
    const load = startVoting(nodes, 16, () => true);
    await sleep(VOTE_MS);
    load.stop();
    await load.done;
    const acked = load.acks.size;
    note(
      "votes",
      `${acked} votes acknowledged in ${VOTE_MS / 1000} s (${Math.round(acked / (VOTE_MS / 1000))}/s; per process ${load.perNode.join(", ")})`,
    );
    expect(load.unexpected.slice(0, 5)).toEqual([]);
    expect(load.inFlight.size).toBe(0);
    // on average a vote per voter at least, however loaded the machine
    expect(acked).toBeGreaterThanOrEqual(PROCESSES * 16);
    for (const n of load.perNode) expect(n).toBeGreaterThan(0);
    expect(await lostVotes(db, load)).toEqual([]);
    expect(await countVotedBattles(db)).toBe(before + acked);
    expect(await tallyMismatches(db)).toEqual([]);
  });

  test("every process serves the same, current leaderboard snapshot within 5 s after votes stop", async () => {
    test.setTimeout(60_000);
    const { nodes, db } = d as Deployment;
    // Some readers, so that each process has served (and cached) the board before the votes.
    for (const n of nodes)
      expect((await n.client.request("GET", "/api/leaderboard")).status).toBe(200);
    const load = startVoting(nodes, 4, () => true);
    await sleep(3000);
    load.stop();
    await load.done;
    expect(load.unexpected.slice(0, 5)).toEqual([]);
    const stopped = performance.now();
    let seen: string[] = [];
    let now = await published(db);
    for (;;) {
      seen = await Promise.all(nodes.map(servedBoard));
      now = await published(db);
      const agreed = now.talliesVersion === now.now && seen.every((b) => b === boardOf(now.seq));
      if (agreed || performance.now() - stopped > 5000) break;
      await sleep(100);
    }
    const ms = Math.round(performance.now() - stopped);
    note(
      "snapshot",
      `${ms} ms after the votes stopped: ${seen.join(" | ")}; published seq ${now.seq} for tallies ${now.talliesVersion} (now ${now.now})`,
    );
    expect(now.talliesVersion, "the snapshot reflects every vote").toBe(now.now);
    expect(seen, "every process serves the published snapshot").toEqual(
      nodes.map(() => boardOf(now.seq)),
    );
    expect(ms).toBeLessThanOrEqual(5000);
    // One fit worker for the deployment: the lease is held by one of the three processes.
    expect(nodes.map((n) => n.server.pid)).toContain(await fitLeasePid(db));
  });

  test("a SIGKILLed process loses no acknowledged vote and the others keep serving", async () => {
    test.setTimeout(120_000);
    const { nodes, db } = d as Deployment;
    const before = await countVotedBattles(db);
    // The fit worker's process, the one whose death matters most.
    const holderPid = await fitLeasePid(db);
    const victim = Math.max(
      0,
      nodes.findIndex((n) => n.server.pid === holderPid),
    );
    let dead = false;
    const load = startVoting(nodes, 8, (i) => !(dead && i === victim));
    const t0 = performance.now();
    while (
      (performance.now() - t0 < 2000 || (load.perNode[victim] ?? 0) < 20) &&
      performance.now() - t0 < 30_000
    )
      await sleep(5);
    const ackedAtKill = load.perNode.slice();
    dead = true;
    process.kill((nodes[victim] as Node).server.pid, "SIGKILL");
    const killedAt = performance.now();
    await (nodes[victim] as Node).server.exited;
    await sleep(3000);
    load.stop();
    await load.done;
    const afterKill = load.perNode.map((n, i) => n - (ackedAtKill[i] ?? 0));
    note(
      "kill",
      `node ${victim} (fit worker) SIGKILLed after ${ackedAtKill.join("/")} votes per node, ${load.inFlight.size} votes left unanswered by it; afterwards ${afterKill.join("/")}; ${load.acks.size} acknowledged in all`,
    );
    expect(load.unexpected.slice(0, 5)).toEqual([]);
    nodes.forEach((_, i) => {
      if (i !== victim) expect(afterKill[i], `node ${i} after the kill`).toBeGreaterThan(0);
    });
    expect(await lostVotes(db, load)).toEqual([]);
    // A vote unanswered when its process died is either absent or stored as sent.
    const unknown = await battleWinners(db, [...load.inFlight.keys()]);
    for (const [id, w] of load.inFlight) expect([null, undefined, w]).toContain(unknown.get(id));
    const voted = await countVotedBattles(db);
    expect(voted).toBeGreaterThanOrEqual(before + load.acks.size);
    expect(voted).toBeLessThanOrEqual(before + load.acks.size + load.inFlight.size);
    expect(await tallyMismatches(db)).toEqual([]);
    // The survivors refuse a second vote on every acknowledged battle.
    const survivor = nodes.find((_, i) => i !== victim) as Node;
    const notRefused: string[] = [];
    const acks = [...load.acks];
    await Promise.all(
      Array.from({ length: 8 }, async (_, w) => {
        for (let i = w; i < acks.length; i += 8) {
          const [id, ack] = acks[i] as (typeof acks)[number];
          const v = new Voter(survivor.client);
          v.cookie = ack.cookie;
          const r = await v.vote(id, WINNERS[(WINNERS.indexOf(ack.winner) + 1) % 4] as Winner);
          if (r.status !== 409) notRefused.push(`${id}: ${r.status}`);
        }
      }),
    );
    expect(notRefused).toEqual([]);
    // The lease runs out, a survivor's fit worker takes it over, and the survivors serve a
    // snapshot with every vote.
    const survivors = nodes.filter((_, i) => i !== victim);
    let takenBy: number | undefined;
    let seen: string[] = [];
    let now = await published(db);
    while (performance.now() - killedAt < LEASE_TTL_MS + 15_000) {
      takenBy = await fitLeasePid(db);
      now = await published(db);
      seen = await Promise.all(survivors.map(servedBoard));
      if (
        survivors.some((n) => n.server.pid === takenBy) &&
        now.talliesVersion === now.now &&
        seen.every((b) => b === boardOf(now.seq))
      )
        break;
      await sleep(250);
    }
    note(
      "fit worker failover",
      `${Math.round(performance.now() - killedAt)} ms after the kill: lease held by pid ${takenBy} (survivors ${survivors.map((n) => n.server.pid).join(", ")}), serving ${seen.join(" | ")}, published seq ${now.seq} for tallies ${now.talliesVersion} (now ${now.now})`,
    );
    expect(survivors.map((n) => n.server.pid)).toContain(takenBy);
    expect(now.talliesVersion).toBe(now.now);
    expect(seen).toEqual(survivors.map(() => boardOf(now.seq)));
  });
});

test.describe("three processes, rate limits on", () => {
  let d: Deployment | undefined;
  const PER_MINUTE = 10;

  test.beforeAll(async () => {
    test.setTimeout(240_000);
    d = await deploy(
      "limits",
      { ARENA_RATE_LIMIT: "1", ARENA_VOTER_PER_MINUTE: String(PER_MINUTE) },
      BASE_PORT + 70,
    );
  });
  test.afterAll(async () => {
    await teardown(d);
  });

  test("a voter's rate limit holds across processes", async () => {
    const { nodes } = d as Deployment;
    const first = new Voter((nodes[0] as Node).client);
    const r = await first.createBattle();
    expect(r.status, r.body).toBe(201);
    // 3 × PER_MINUTE more battle requests with the same cookie, at once, spread over the processes.
    const answers = await Promise.all(
      Array.from({ length: PROCESSES * PER_MINUTE }, (_, i) => {
        const v = new Voter((nodes[i % PROCESSES] as Node).client);
        v.cookie = first.cookie;
        return v.createBattle();
      }),
    );
    const statuses = answers.map((a) => a.status);
    const accepted = statuses.filter((s) => s === 201).length + 1;
    note(
      "rate limit",
      `${accepted} of ${statuses.length + 1} battle requests accepted (limit ${PER_MINUTE} per minute)`,
    );
    expect(accepted).toBe(PER_MINUTE);
    expect(statuses.filter((s) => s !== 201 && s !== 429)).toEqual([]);
  });
});

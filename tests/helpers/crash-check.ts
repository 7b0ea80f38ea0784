/**
 * The crash test, shared by `npx tsx bench/crash.ts` (several cycles) and e2e/crash.spec.ts
 * (one cycle in CI): a production server under a vote load is SIGKILLed, restarted on the same
 * database, and then
 *  - every vote that was answered 200 is in the database with that winner, and a second vote
 *    on it, with the voter's own cookie, is refused with 409;
 *  - a vote that was in flight when the server died is either absent or has the winner sent;
 *  - the tallies equal a recompute from the battles (lib/arena/tallies.ts talliesFromBattles);
 *  - PRAGMA integrity_check is "ok" and PRAGMA foreign_key_check finds nothing (on PostgreSQL:
 *    amcheck finds nothing and every foreign key is validated: tests/helpers/db-check.ts).
 * On the database this process runs against: an SQLite file, or a database on the PostgreSQL
 * server of DATABASE_URL (tests/helpers/server-databases.ts).
 */
import { battleWinners, checkDatabase, type DbReport } from "./db-check";
import { dropDatabase, freshDatabaseUrl } from "./server-databases";
import {
  type ArenaServer,
  freePort,
  HttpClient,
  sleep,
  startServer,
  Voter,
  WINNERS,
  type Winner,
} from "./server-harness";

export interface CrashOptions {
  cycles: number;
  /** Concurrent voter loops. */
  voters: number;
  /** The kill comes at a random moment in [min, max] ms after the load started… */
  loadMs: [number, number];
  /** …and not before this many votes were acknowledged in the cycle. */
  minAcknowledged: number;
  preferredPort?: number;
  root?: string;
  /** Database name: a file under bench/.cache/, or a database on the PostgreSQL server. */
  dbName?: string;
  keepDatabase?: boolean;
  /** Extra server environment (e.g. a scratch checkout's experiment switches). */
  env?: Record<string, string>;
  log?: (line: string) => void;
}

export interface CycleReport {
  cycle: number;
  acknowledged: number;
  /** Vote requests sent but unanswered when the server died: their outcome is unknown to the voter. */
  votesInFlightAtKill: number;
  battlesInFlightAtKill: number;
  /** Of those, how many the restarted server had committed. */
  inFlightCommitted: number;
  unexpectedStatuses: string[];
  missing: string[];
  wrongWinner: string[];
  revoteNot409: string[];
  db: DbReport;
  loadMs: number;
  restartMs: number;
  verifyMs: number;
}

export interface CrashReport {
  ok: boolean;
  failures: string[];
  cycles: CycleReport[];
  totalMs: number;
  /** The database's URL. */
  database: string;
}

interface Ack {
  winner: Winner;
  cookie: string;
  cycle: number;
}

/** Runs the voter loops until the server dies; returns what each vote's answer was. */
async function loadUntilKilled(
  server: ArenaServer,
  opts: CrashOptions,
  cycle: number,
  acks: Map<string, Ack>,
): Promise<{
  acknowledged: number;
  inFlight: Map<string, Winner>;
  battlesInFlight: number;
  unexpected: string[];
  loadMs: number;
}> {
  const client = new HttpClient(server.url, { maxSockets: opts.voters + 4 });
  const inFlight = new Map<string, Winner>();
  let battlesInFlight = 0;
  const unexpected: string[] = [];
  let acknowledged = 0;
  let killed = false;
  let votesInFlightAtKill: Map<string, Winner> = new Map();
  let battlesInFlightAtKill = 0;

  const loop = async () => {
    const voter = new Voter(client);
    while (!killed) {
      let battleId: string;
      battlesInFlight++;
      try {
        const b = await voter.createBattle();
        if (!b.battle) {
          if (!killed) unexpected.push(`POST /api/battles → ${b.status} ${b.body.slice(0, 200)}`);
          return;
        }
        battleId = b.battle.id;
      } catch (e) {
        if (!killed) unexpected.push(`POST /api/battles: ${(e as Error).message}`);
        return;
      } finally {
        battlesInFlight--;
      }
      if (killed) return;
      const winner = WINNERS[Math.floor(Math.random() * WINNERS.length)] as Winner;
      inFlight.set(battleId, winner);
      try {
        const r = await voter.vote(battleId, winner);
        if (r.status === 200) {
          acks.set(battleId, { winner, cookie: voter.cookie ?? "", cycle });
          acknowledged++;
        } else if (!killed) {
          unexpected.push(`vote → ${r.status} ${r.body.slice(0, 200)}`);
          return;
        }
      } catch (e) {
        if (!killed) unexpected.push(`vote: ${(e as Error).message}`);
        return;
      } finally {
        inFlight.delete(battleId);
      }
    }
  };

  const started = performance.now();
  const loops = Array.from({ length: opts.voters }, loop);
  const [min, max] = opts.loadMs;
  const killAt = started + min + Math.random() * (max - min);
  while (
    (performance.now() < killAt || acknowledged < opts.minAcknowledged) &&
    unexpected.length === 0 &&
    performance.now() - started < max + 30_000
  ) {
    await sleep(5);
  }
  // The snapshot and the kill happen in the same tick: nothing can be answered in between.
  votesInFlightAtKill = new Map(inFlight);
  battlesInFlightAtKill = battlesInFlight;
  killed = true;
  try {
    process.kill(server.pid, "SIGKILL");
  } catch {
    // it died on its own: the checks below will say what it left behind
  }
  const loadMs = performance.now() - started;
  await server.exited;
  await Promise.all(loops);
  client.close();
  // Answers that arrived after the kill cannot exist, but a vote answered 200 is never "unknown".
  for (const id of votesInFlightAtKill.keys()) if (acks.has(id)) votesInFlightAtKill.delete(id);
  return {
    acknowledged,
    inFlight: votesInFlightAtKill,
    battlesInFlight: battlesInFlightAtKill,
    unexpected,
    loadMs,
  };
}

async function revoteAll(
  server: ArenaServer,
  targets: [string, Ack][],
  concurrency: number,
): Promise<string[]> {
  const client = new HttpClient(server.url, { maxSockets: concurrency });
  const bad: string[] = [];
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      const t = targets[i];
      if (!t) return;
      const [id, ack] = t;
      const voter = new Voter(client);
      voter.cookie = ack.cookie;
      // A different winner than the acknowledged one: a lost vote would now be taken (200).
      const other = WINNERS[(WINNERS.indexOf(ack.winner) + 1) % WINNERS.length] as Winner;
      try {
        const r = await voter.vote(id, other);
        if (r.status !== 409) bad.push(`${id}: ${r.status} ${r.body.slice(0, 120)}`);
      } catch (e) {
        bad.push(`${id}: ${(e as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  client.close();
  return bad;
}

export async function runCrashTest(opts: CrashOptions): Promise<CrashReport> {
  const log = opts.log ?? (() => {});
  const t0 = performance.now();
  const database = await freshDatabaseUrl(opts.dbName ?? `crash-${process.pid}-${Date.now()}`);
  const port = await freePort(opts.preferredPort ?? 3310);
  const failures: string[] = [];
  const cycles: CycleReport[] = [];
  const acks = new Map<string, Ack>();
  let server: ArenaServer | undefined;
  try {
    server = await startServer({ port, databaseUrl: database, root: opts.root, env: opts.env });
    log(`server pid ${server.pid} on ${server.url}, database ${database}`);
    for (let cycle = 1; cycle <= opts.cycles; cycle++) {
      const load = await loadUntilKilled(server, opts, cycle, acks);
      log(
        `cycle ${cycle}: ${load.acknowledged} votes acknowledged in ${Math.round(load.loadMs)} ms, SIGKILL with ${load.inFlight.size} votes and ${load.battlesInFlight} battle requests in flight`,
      );
      const r0 = performance.now();
      server = await startServer({ port, databaseUrl: database, root: opts.root, env: opts.env });
      const restartMs = performance.now() - r0;

      const v0 = performance.now();
      // Every acknowledged vote so far, from this cycle and the ones before, must be in the file.
      const all = [...acks];
      const winners = await battleWinners(
        database,
        all.map(([id]) => id).concat([...load.inFlight.keys()]),
      );
      const missing: string[] = [];
      const wrongWinner: string[] = [];
      for (const [id, ack] of all) {
        const w = winners.get(id);
        if (w === undefined || w === null) missing.push(`${id} (cycle ${ack.cycle})`);
        else if (w !== ack.winner)
          wrongWinner.push(`${id}: stored ${w}, acknowledged ${ack.winner}`);
      }
      let inFlightCommitted = 0;
      for (const [id, sent] of load.inFlight) {
        const w = winners.get(id);
        if (w === undefined || w === null) continue;
        if (w === sent) inFlightCommitted++;
        else wrongWinner.push(`${id}: stored ${w}, in flight ${sent}`);
      }
      // The server's own answer: a second vote on an acknowledged battle is refused.
      const revoteNot409 = await revoteAll(
        server,
        all.filter(([, a]) => a.cycle === cycle),
        8,
      );
      const db = await checkDatabase(database);
      const verifyMs = performance.now() - v0;

      const report: CycleReport = {
        cycle,
        acknowledged: load.acknowledged,
        votesInFlightAtKill: load.inFlight.size,
        battlesInFlightAtKill: load.battlesInFlight,
        inFlightCommitted,
        unexpectedStatuses: load.unexpected,
        missing,
        wrongWinner,
        revoteNot409,
        db,
        loadMs: load.loadMs,
        restartMs,
        verifyMs,
      };
      cycles.push(report);
      const problems = [
        ...load.unexpected.map((s) => `unexpected answer under load: ${s}`),
        ...missing.map((s) => `acknowledged vote lost: ${s}`),
        ...wrongWinner.map((s) => `wrong winner: ${s}`),
        ...revoteNot409.map((s) => `re-vote on an acknowledged battle not refused: ${s}`),
        ...(db.integrity === "ok" ? [] : [`integrity_check: ${db.integrity}`]),
        ...(db.foreignKeyViolations === 0
          ? []
          : [`foreign_key_check: ${db.foreignKeyViolations} violations`]),
        ...db.tallyMismatches.map(
          (m) => `tally ${m.cell}: stored ${m.stored}, recomputed ${m.recomputed}`,
        ),
        ...(db.votedBattles >= acks.size
          ? []
          : [`only ${db.votedBattles} voted battles for ${acks.size} acknowledged votes`]),
        ...(load.acknowledged > 0 ? [] : ["no vote was acknowledged before the kill"]),
      ].map((s) => `cycle ${cycle}: ${s}`);
      failures.push(...problems);
      log(
        `cycle ${cycle}: restart ${Math.round(restartMs)} ms; ${all.length} acknowledged votes present: ${all.length - missing.length}, re-votes refused: ${all.filter(([, a]) => a.cycle === cycle).length - revoteNot409.length}/${all.filter(([, a]) => a.cycle === cycle).length}, in-flight committed ${inFlightCommitted}/${load.inFlight.size}; tallies ${db.tallyMismatches.length === 0 ? "= recompute" : `≠ recompute (${db.tallyMismatches.length} cells)`} over ${db.votedBattles} votes; integrity ${db.integrity}; ${problems.length ? `${problems.length} problems` : "ok"}`,
      );
      if (problems.length) break;
    }
  } finally {
    await server?.stop();
  }
  if (failures.length === 0 && !opts.keepDatabase) await dropDatabase(database);
  return { ok: failures.length === 0, failures, cycles, totalMs: performance.now() - t0, database };
}

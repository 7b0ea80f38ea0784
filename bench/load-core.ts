/**
 * The vote-path load of bench/load.ts, against one or several app processes (bench/load-pg.ts):
 * N concurrent voters each loop {POST /api/battles, POST /api/battles/{id}/vote} while two
 * samplers read GET /api/leaderboard?category=overall and GET / (the arena page) a few times a
 * second. Voter i talks to process i mod P (its cookie stays with it); the samplers to the first
 * process and the last. After a warm-up, one measured window: latencies, votes, errors, and the
 * CPU seconds of the processes it is given (read from /proc at the window's two ends).
 */
import { HttpClient, sleep, Voter, WINNERS, type Winner } from "../tests/helpers/server-harness";
import { type Latency, latency, machineBusySeconds } from "./bench-server";

export interface LoadOptions {
  /** The app processes' base URLs. */
  urls: string[];
  concurrency: number;
  warmupSeconds: number;
  seconds: number;
  /** GETs per second of each sampler (0: none). */
  sampleRate: number;
  /** Each voter loop becomes a new anonymous voter every N votes (0: never). */
  votesPerVoter: number;
  /** CPU seconds of each measured group of processes (e.g. the servers, PostgreSQL), read at both ends of the window. */
  cpu: Record<string, () => number>;
  /** Progress lines go here (stderr by default). */
  log?: (line: string) => void;
}

export interface LoadResult {
  processes: number;
  seconds: number;
  votesPerSecond: number;
  /** Votes acknowledged in each full second of the window. */
  perSecond: number[];
  vote: Latency;
  battle: Latency;
  leaderboard: Latency;
  page: Latency;
  errors: Record<string, number>;
  warmupErrors: number;
  /** Votes answered 200 over the whole run, warm-up included (what the database must hold). */
  acknowledged: number;
  /** performance.now() when the window opened. */
  measureStart: number;
  /** Votes answered 200 within the measured window. */
  votesInWindow: number;
  /** CPU seconds used by each group of `cpu` over the window. */
  cpuSeconds: Record<string, number>;
  generatorCpuSeconds: number;
  machineCpuSeconds: number;
}

type Phase = "warmup" | "measure" | "done";

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const log = o.log ?? ((line: string) => console.error(line));
  let phase: Phase = "warmup";
  let measureStart = 0;
  const voteMs: number[] = [];
  const battleMs: number[] = [];
  const leaderboardMs: number[] = [];
  const pageMs: number[] = [];
  const perSecond = new Array<number>(Math.ceil(o.seconds) + 1).fill(0);
  let acknowledged = 0;
  let measuredVotes = 0;
  const errors = new Map<string, number>();
  let warmupErrors = 0;

  function error(kind: string): void {
    if (phase === "warmup") warmupErrors++;
    errors.set(kind, (errors.get(kind) ?? 0) + 1);
  }

  const clients = o.urls.map(
    (url, i) =>
      new HttpClient(url, {
        maxSockets: Math.ceil((o.concurrency - i) / o.urls.length) || 1,
      }),
  );

  async function voterLoop(seed: number): Promise<void> {
    const voter = new Voter(clients[seed % clients.length] as HttpClient);
    let w = seed;
    let cast = 0;
    while (phase !== "done") {
      // each loop becomes a new anonymous voter (no cookie) every N votes
      if (o.votesPerVoter > 0 && cast > 0 && cast % o.votesPerVoter === 0) voter.cookie = undefined;
      let t = performance.now();
      let battleId: string | undefined;
      try {
        const b = await voter.createBattle();
        if (b.battle) battleId = b.battle.id;
        else error(`battle ${b.status}`);
      } catch (e) {
        error(`battle ${(e as Error).message}`);
      }
      let now = performance.now();
      if (phase === "measure") battleMs.push(now - t);
      if (!battleId) {
        await sleep(10);
        continue;
      }
      const winner = WINNERS[w++ % WINNERS.length] as Winner;
      t = now;
      try {
        const r = await voter.vote(battleId, winner);
        now = performance.now();
        if (r.status === 200) {
          acknowledged++;
          cast++;
          if (phase === "measure") {
            voteMs.push(now - t);
            measuredVotes++;
            const s = Math.floor((now - measureStart) / 1000);
            if (s < perSecond.length) perSecond[s] = (perSecond[s] ?? 0) + 1;
          }
        } else error(`vote ${r.status}`);
      } catch (e) {
        error(`vote ${(e as Error).message}`);
      }
    }
  }

  async function sampler(url: string, pathname: string, out: number[]): Promise<void> {
    const client = new HttpClient(url, { maxSockets: 1 });
    let cookie: string | undefined;
    const interval = 1000 / o.sampleRate;
    while (phase !== "done") {
      const t = performance.now();
      try {
        const r = await client.request("GET", pathname, { cookie });
        const ms = performance.now() - t;
        for (const c of r.setCookie) if (c.startsWith("arena_voter=")) cookie = c.split(";", 1)[0];
        if (r.status !== 200) error(`GET ${pathname} ${r.status}`);
        else if (phase === "measure") out.push(ms);
      } catch (e) {
        error(`GET ${pathname} ${(e as Error).message}`);
      }
      await sleep(Math.max(0, interval - (performance.now() - t)));
    }
    client.close();
  }

  const loops = [
    ...Array.from({ length: o.concurrency }, (_, i) => voterLoop(i)),
    ...(o.sampleRate > 0
      ? [
          sampler(o.urls[0] as string, "/api/leaderboard?category=overall", leaderboardMs),
          sampler(o.urls[o.urls.length - 1] as string, "/", pageMs),
        ]
      : []),
  ];

  log(`warming up for ${o.warmupSeconds} s with ${o.concurrency} voters …`);
  await sleep(o.warmupSeconds * 1000);
  log(`measuring for ${o.seconds} s …`);
  phase = "measure";
  measureStart = performance.now();
  const groups = Object.entries(o.cpu);
  const cpu0 = process.cpuUsage();
  const groupCpu0 = groups.map(([, read]) => read());
  const machine0 = machineBusySeconds();
  for (let s = 1; s <= o.seconds; s++) {
    await sleep(measureStart + s * 1000 - performance.now());
    if (s % 10 === 0 || s === o.seconds)
      log(`  ${s} s: ${measuredVotes} votes (${Math.round(measuredVotes / s)}/s)`);
  }
  const elapsed = (performance.now() - measureStart) / 1000;
  const cpuSeconds = Object.fromEntries(
    groups.map(([name, read], i) => [name, read() - (groupCpu0[i] as number)]),
  );
  const generator = process.cpuUsage(cpu0);
  const machineCpuSeconds = machineBusySeconds() - machine0;
  const votesInWindow = measuredVotes;
  phase = "done";
  await Promise.all(loops);
  for (const c of clients) c.close();

  return {
    processes: o.urls.length,
    seconds: elapsed,
    measureStart,
    votesPerSecond: votesInWindow / elapsed,
    perSecond: perSecond.slice(0, Math.floor(o.seconds)),
    vote: latency(voteMs),
    battle: latency(battleMs),
    leaderboard: latency(leaderboardMs),
    page: latency(pageMs),
    errors: Object.fromEntries(errors),
    warmupErrors,
    acknowledged,
    votesInWindow,
    cpuSeconds,
    generatorCpuSeconds: (generator.user + generator.system) / 1e6,
    machineCpuSeconds,
  };
}

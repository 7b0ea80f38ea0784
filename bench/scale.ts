/**
 * The arena at LMArena's size (issue 9): 250 models, 2,000 prompts answered by every model
 * (~1 KB each), 10 categories, 1M counted votes (bench/scale-dataset.ts), against the production
 * server. Each run, on a fresh copy of the dataset, one server:
 *   1. votes alone: N voters loop {POST /api/battles, POST …/vote} (limits off);
 *   2. with viewers: the same voters while five viewers each poll one category once a second
 *      (GET /api/leaderboard/version, then GET /api/leaderboard?category=C&ci=M; bootstrap and
 *      sandwich mixed);
 *   3. import: a generated FastChat votes file (1M rows over the same models) POSTed to
 *      /api/admin/import while the voters go on.
 * Runs `--runs` times (default 3); prints each run and the medians, next to the goals of issue 9.
 * Reports only: the exit code is 0 whatever the figures (non-zero when the bench itself failed).
 *
 *   npm run bench:scale -- [--runs 3] [--seconds 20] [--warmup 5] [--voters 8] [--viewers 5]
 *       [--models 250] [--prompts 2000] [--votes 1000000] [--response-bytes 1024|2048]
 *       [--import-votes N] [--no-import] [--no-alone] [--verify]
 *       [--root DIR] [--no-build] [--port 3330] [--env K=V] [--json FILE] [--cpu-prof]
 *   npm run bench:scale -- --from-json FILE   (the report of runs saved with --json, no server)
 *   npm run bench:scale -- --quick      (50 models, 200 prompts, 50,000 votes, 10-s windows)
 *
 * Figures per phase: votes/s; vote (POST …/vote) and battle (POST /api/battles) latency; the
 * leaderboard GET and version GET latency; the snapshot's age as a viewer sees it (arrival time
 * − Date.parse(view.updatedAt)); the event loop (bench/loop-delay.mjs: `max` is the longest a
 * 5-ms timer was late whatever the cause, `held` the longest the main thread itself was on a CPU
 * in one gap — the stall the server's own work caused, judged against the goal); server CPU
 * seconds per acknowledged vote (everything the server did in the window, viewers included,
 * divided by the votes); server RSS. For the import: wall time, vote latency during it, the
 * loop, and peak RSS above the RSS just before it.
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { checkDatabase, countVotedBattles } from "../tests/helpers/db-check";
import {
  CACHE_DIR,
  HttpClient,
  sleep,
  Voter,
  WINNERS,
  type Winner,
} from "../tests/helpers/server-harness";
import {
  benchRoot,
  envPairs,
  type Latency,
  type LoopDelay,
  latency,
  machineBusySeconds,
  median,
  rssSampler,
  serverOptions,
  startBenchServer,
  uploadImport,
} from "./bench-server";
import {
  type DatasetParams,
  datasetKey,
  datasetModels,
  FULL_SIZE,
  modelProfile,
  outcome,
  type PreparedDatabase,
  prepareDatabase,
  VIEWED,
  weightedPicker,
} from "./scale-dataset";
import { seededRng } from "./support";

const { values } = parseArgs({
  options: {
    ...serverOptions,
    runs: { type: "string", default: "3" },
    seconds: { type: "string" },
    warmup: { type: "string" },
    voters: { type: "string", default: "8" },
    viewers: { type: "string", default: "5" },
    models: { type: "string" },
    prompts: { type: "string" },
    votes: { type: "string" },
    "response-bytes": { type: "string" },
    "import-votes": { type: "string" },
    "no-import": { type: "boolean", default: false },
    "no-alone": { type: "boolean", default: false },
    verify: { type: "boolean", default: false },
    quick: { type: "boolean", default: false },
    "cpu-prof": { type: "boolean", default: false },
    "from-json": { type: "string" },
  },
});

const quick = values.quick;
const num = (v: string | undefined, fallback: number) => (v === undefined ? fallback : Number(v));
const params: DatasetParams = {
  models: num(values.models, quick ? 50 : FULL_SIZE.models),
  prompts: num(values.prompts, quick ? 200 : FULL_SIZE.prompts),
  votes: num(values.votes, quick ? 50_000 : FULL_SIZE.votes),
  responseBytes: num(values["response-bytes"], FULL_SIZE.responseBytes),
};
const RUNS = num(values.runs, 3);
const SECONDS = num(values.seconds, quick ? 10 : 20);
const WARMUP = num(values.warmup, quick ? 3 : 5);
const VOTERS = num(values.voters, 8);
const VIEWERS = num(values.viewers, 5);
const IMPORT_VOTES = values["no-import"] ? 0 : num(values["import-votes"], params.votes);
const PORT = num(values.port, 3330);
for (const [name, v, lo, hi] of [
  ["--runs", RUNS, 1, 20],
  ["--seconds", SECONDS, 1, 600],
  ["--voters", VOTERS, 1, 256],
  ["--viewers", VIEWERS, 0, 50],
  ["--models", params.models, 2, 5000],
  ["--prompts", params.prompts, 1, 100_000],
  ["--votes", params.votes, 0, 10_000_000],
] as const)
  if (!(Number.isInteger(v) && v >= lo && v <= hi))
    throw new Error(`${name} must be an integer in [${lo}, ${hi}]`);

/** Issue 9's goals. */
const GOALS = {
  votesPerSecond: 500,
  voteP99Ms: 50,
  stallMs: 50,
  leaderboardP99Ms: 20,
  snapshotAgeMs: 5000,
  importVoteP99Ms: 100,
  importRssAboveIdleMb: 300,
};

// ---------------------------------------------------------------------------------------------
// The import file: FastChat's votes CSV over the dataset's models, made once per size

function importFile(models: number, votes: number): string {
  const file = path.join(CACHE_DIR, `scale-import-m${models}-v${votes}.csv`);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const names = datasetModels(models).map((m) => m.slug);
  const { strength, popularity } = modelProfile(models);
  const rng = seededRng(1009);
  const pick = weightedPicker(popularity, rng);
  const spell: Record<Winner, string> = {
    a: "model_a",
    b: "model_b",
    tie: "tie",
    bothbad: "tie (bothbad)",
  };
  const fd = fs.openSync(`${file}.tmp`, "w");
  let lines = ["arena_idx,model_a,model_b,winner,judge,tstamp"];
  const t0 = 1_700_000_000;
  for (let i = 0; i < votes; i++) {
    const a = pick();
    let b = pick();
    while (b === a) b = pick();
    const w = outcome(strength[a] as number, strength[b] as number, rng);
    lines.push(
      `${i},${names[a]},${names[b]},${spell[w]},arena_user_${Math.floor(rng() * 40_000)},${t0 + i * 30}`,
    );
    if (lines.length >= 20_000) {
      fs.writeSync(fd, `${lines.join("\n")}\n`);
      lines = [];
    }
  }
  if (lines.length) fs.writeSync(fd, `${lines.join("\n")}\n`);
  fs.closeSync(fd);
  fs.renameSync(`${file}.tmp`, file);
  return file;
}

// ---------------------------------------------------------------------------------------------
// One run

interface PhaseResult {
  seconds: number;
  votes: number;
  votesPerSecond: number;
  vote: Latency;
  battle: Latency;
  leaderboard: Latency;
  version: Latency;
  /** ms, as each viewer saw it at the moment a leaderboard response arrived. */
  snapshotAge: Latency;
  /** Distinct `version` values the viewers saw per second. */
  versionsPerSecond: number;
  loop: LoopDelay;
  serverCpuSeconds: number;
  serverCpuMsPerVote: number;
  serverCores: number;
  otherCores: number;
  rssMb: number;
  peakRssMb: number;
  errors: Record<string, number>;
}

interface ImportResult {
  status: number;
  seconds: number;
  importedVotes: number | null;
  vote: Latency;
  votesPerSecond: number;
  loop: LoopDelay;
  idleRssMb: number;
  peakRssMb: number;
  peakAboveIdleMb: number;
  otherCores: number;
  response?: string;
}

interface RunResult {
  run: number;
  alone?: PhaseResult;
  viewers: PhaseResult;
  import?: ImportResult;
  checks: Record<string, boolean | string>;
}

const MB = 1024 * 1024;
const PROFILE_DIR = path.join(CACHE_DIR, "profiles");

async function oneRun(index: number, root: string, extraEnv: Record<string, string>) {
  const db = await prepareDatabase(params, `scale-run-${process.pid}`);
  try {
    return await runOn(db, index, root, extraEnv);
  } finally {
    await db.dispose();
  }
}

async function runOn(
  db: PreparedDatabase,
  index: number,
  root: string,
  extraEnv: Record<string, string>,
): Promise<RunResult> {
  if (values["cpu-prof"]) fs.mkdirSync(PROFILE_DIR, { recursive: true });
  const t0 = performance.now();
  const bench = await startBenchServer({
    root,
    port: PORT,
    databaseUrl: db.url,
    dbFile: db.file ?? "",
    env: { ARENA_DEMO_DATA: "0", ...extraEnv },
    nodeArgs: values["cpu-prof"]
      ? ["--cpu-prof", `--cpu-prof-dir=${PROFILE_DIR}`, "--cpu-prof-interval=1000"]
      : [],
  });
  const { server } = bench;
  console.error(
    `run ${index}: server pid ${server.pid} on ${server.url}, ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  // --- load generators --------------------------------------------------------------------
  let voting = true;
  let viewing = false;
  /** Samples land in the current window, if any. */
  let window: Window | null = null;
  interface Window {
    start: number;
    votes: number;
    voteMs: number[];
    voteSpans: { start: number; end: number }[];
    battleMs: number[];
    leaderboardMs: number[];
    versionMs: number[];
    ageMs: number[];
    versions: Set<number>;
    errors: Map<string, number>;
  }
  const newWindow = (): Window => ({
    start: performance.now(),
    votes: 0,
    voteMs: [],
    voteSpans: [],
    battleMs: [],
    leaderboardMs: [],
    versionMs: [],
    ageMs: [],
    versions: new Set(),
    errors: new Map(),
  });
  const errors = new Map<string, number>();
  const error = (k: string) => {
    errors.set(k, (errors.get(k) ?? 0) + 1);
    window?.errors.set(k, (window.errors.get(k) ?? 0) + 1);
  };
  let acknowledged = 0;
  let unanswered = 0;

  const voterClient = new HttpClient(server.url, { maxSockets: VOTERS });
  async function voterLoop(seed: number): Promise<void> {
    const voter = new Voter(voterClient);
    let w = seed;
    while (voting) {
      let t = performance.now();
      let battleId: string | undefined;
      try {
        const b = await voter.createBattle();
        battleId = b.battle?.id;
        if (!battleId) error(`battle ${b.status}`);
      } catch (e) {
        error(`battle ${(e as Error).message}`);
      }
      let now = performance.now();
      window?.battleMs.push(now - t);
      if (!battleId) {
        await sleep(50);
        continue;
      }
      t = now;
      try {
        const r = await voter.vote(battleId, WINNERS[w++ % WINNERS.length] as Winner);
        now = performance.now();
        if (r.status === 200) {
          acknowledged++;
          if (window) {
            window.votes++;
            window.voteMs.push(now - t);
            window.voteSpans.push({ start: t, end: now });
          }
        } else error(`vote ${r.status}`);
      } catch (e) {
        // No answer (a timeout): the server may still have counted it.
        unanswered++;
        error(`vote ${(e as Error).message}`);
      }
    }
  }

  const UPDATED_AT = /"updatedAt":"([^"]+)"/;
  async function viewerLoop(i: number): Promise<void> {
    const { category, ci } = VIEWED[i % VIEWED.length] as (typeof VIEWED)[number];
    const client = new HttpClient(server.url, { maxSockets: 1 });
    const q = `/api/leaderboard?category=${encodeURIComponent(category)}&ci=${ci}`;
    // Viewers start spread over the second, as independent pages would.
    await sleep((1000 * i) / Math.max(1, VIEWERS));
    while (viewing) {
      const t = performance.now();
      try {
        const v = await client.request("GET", "/api/leaderboard/version", { timeoutMs: 120_000 });
        const ms = performance.now() - t;
        if (v.status !== 200) error(`version ${v.status}`);
        else if (window) {
          window.versionMs.push(ms);
          window.versions.add((JSON.parse(v.body) as { version: number }).version);
        }
      } catch (e) {
        error(`version ${(e as Error).message}`);
      }
      const t2 = performance.now();
      try {
        const r = await client.request("GET", q, { timeoutMs: 120_000 });
        const ms = performance.now() - t2;
        if (r.status !== 200) error(`leaderboard ${r.status}`);
        else if (window) {
          window.leaderboardMs.push(ms);
          const at = UPDATED_AT.exec(r.body.slice(0, 4096))?.[1];
          const updatedAt = at ?? (JSON.parse(r.body) as { updatedAt: string }).updatedAt;
          window.ageMs.push(Date.now() - Date.parse(updatedAt));
        }
      } catch (e) {
        error(`leaderboard ${(e as Error).message}`);
      }
      await sleep(Math.max(0, 1000 - (performance.now() - t)));
    }
    client.close();
  }

  /** Measures one window of `SECONDS` after `WARMUP` seconds of the same load. */
  async function measure(label: string): Promise<PhaseResult> {
    await sleep(WARMUP * 1000);
    await bench.loopDelay();
    const rss = rssSampler(server.pid);
    const cpu0 = bench.cpuSeconds();
    const machine0 = machineBusySeconds();
    const self0 = process.cpuUsage();
    const w = newWindow();
    window = w;
    for (let s = 1; s <= SECONDS; s++) {
      await sleep(w.start + s * 1000 - performance.now());
      if (s % 10 === 0 || s === SECONDS)
        console.error(`  ${label}, ${s} s: ${w.votes} votes, ${w.leaderboardMs.length} reads`);
    }
    window = null;
    const seconds = (performance.now() - w.start) / 1000;
    const cpu = bench.cpuSeconds() - cpu0;
    const self = process.cpuUsage(self0);
    const machine = machineBusySeconds() - machine0;
    const rssNow = bench.rssBytes();
    rss.stop();
    const loop = await bench.loopDelay();
    return {
      seconds,
      votes: w.votes,
      votesPerSecond: w.votes / seconds,
      vote: latency(w.voteMs),
      battle: latency(w.battleMs),
      leaderboard: latency(w.leaderboardMs),
      version: latency(w.versionMs),
      snapshotAge: latency(w.ageMs),
      versionsPerSecond: w.versions.size / seconds,
      loop,
      serverCpuSeconds: cpu,
      serverCpuMsPerVote: (cpu * 1000) / Math.max(1, w.votes),
      serverCores: cpu / seconds,
      otherCores: (machine - cpu - (self.user + self.system) / 1e6) / seconds,
      rssMb: rssNow / MB,
      peakRssMb: Math.max(rss.peak(), rssNow) / MB,
      errors: Object.fromEntries(w.errors),
    };
  }

  const voters = Array.from({ length: VOTERS }, (_, i) => voterLoop(i));
  let viewerLoops: Promise<void>[] = [];
  const result: RunResult = {
    run: index,
    viewers: undefined as unknown as PhaseResult,
    checks: {},
  };
  try {
    if (!values["no-alone"]) result.alone = await measure("votes alone");
    viewing = true;
    viewerLoops = Array.from({ length: VIEWERS }, (_, i) => viewerLoop(i));
    result.viewers = await measure(`with ${VIEWERS} viewers`);
    viewing = false;
    // A leaderboard request of the current code can take many seconds: let them finish.
    await Promise.all(viewerLoops);

    if (IMPORT_VOTES > 0) {
      const file = importFile(params.models, IMPORT_VOTES);
      await sleep(2000);
      await bench.loopDelay();
      const idleRss = bench.rssBytes();
      const rss = rssSampler(server.pid);
      const machine0 = machineBusySeconds();
      const cpu0 = bench.cpuSeconds();
      const self0 = process.cpuUsage();
      const w = newWindow();
      window = w;
      const response = await uploadImport(server.url, file).catch((e: Error) => ({
        status: 0,
        body: `the upload failed: ${e.message}`,
      }));
      const end = performance.now();
      window = null;
      rss.stop();
      const seconds = (end - w.start) / 1000;
      const cpu = bench.cpuSeconds() - cpu0;
      const self = process.cpuUsage(self0);
      const machine = machineBusySeconds() - machine0;
      const loop = await bench.loopDelay();
      let importedVotes: number | null = null;
      try {
        importedVotes =
          (JSON.parse(response.body) as { imported?: { votes: number } }).imported?.votes ?? null;
      } catch {
        // not JSON: reported below
      }
      // Votes whose request overlapped the import, also ones that began before it.
      const during = w.voteSpans.filter((s) => s.end >= w.start && s.start <= end);
      result.import = {
        status: response.status,
        seconds,
        importedVotes,
        vote: latency(during.map((s) => s.end - s.start)),
        votesPerSecond: w.votes / seconds,
        loop,
        idleRssMb: idleRss / MB,
        peakRssMb: rss.peak() / MB,
        peakAboveIdleMb: (rss.peak() - idleRss) / MB,
        otherCores: (machine - cpu - (self.user + self.system) / 1e6) / seconds,
        ...(response.status === 201 ? {} : { response: response.body.slice(0, 300) }),
      };
      result.checks.importCounted = importedVotes === IMPORT_VOTES;
    }
  } finally {
    voting = false;
    viewing = false;
    await Promise.all([...voters, ...viewerLoops]);
    voterClient.close();
  }

  // --- what the database holds -------------------------------------------------------------
  const liveVoted = await countVotedBattles(db.url);
  // Every acknowledged vote is stored; a vote that got no answer may or may not be.
  result.checks.acknowledgedInDb =
    liveVoted >= acknowledged && liveVoted <= acknowledged + unanswered
      ? true
      : `${liveVoted} live votes stored, ${acknowledged} acknowledged, ${unanswered} unanswered`;
  if (values.verify) {
    const r = await checkDatabase(db.url);
    result.checks.talliesEqualRecompute = r.tallyMismatches.length === 0;
    result.checks.integrity = r.integrity === "ok";
  }
  result.checks.errors = errors.size
    ? [...errors].map(([k, n]) => `${k} ×${n}`).join(", ")
    : "none";
  await bench.stop();
  return result;
}

// ---------------------------------------------------------------------------------------------
// Report

const f = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : "–");

interface Row {
  metric: string;
  pick: (r: RunResult) => number;
  digits?: number;
  goal?: { text: string; ok: (x: number) => boolean };
}

function rows(): Row[] {
  const v = (r: RunResult) => r.viewers;
  const out: Row[] = [];
  const phase = (name: string, get: (r: RunResult) => PhaseResult | undefined, goals: boolean) => {
    const g = (p: (x: PhaseResult) => number) => (r: RunResult) => {
      const ph = get(r);
      return ph ? p(ph) : Number.NaN;
    };
    out.push(
      {
        metric: `${name}: votes/s`,
        pick: g((p) => p.votesPerSecond),
        goal: goals
          ? { text: `≥ ${GOALS.votesPerSecond}`, ok: (x) => x >= GOALS.votesPerSecond }
          : undefined,
      },
      { metric: `${name}: vote p50 (ms)`, pick: g((p) => p.vote.p50) },
      {
        metric: `${name}: vote p99 (ms)`,
        pick: g((p) => p.vote.p99),
        goal: goals ? { text: `≤ ${GOALS.voteP99Ms}`, ok: (x) => x <= GOALS.voteP99Ms } : undefined,
      },
      { metric: `${name}: vote max (ms)`, pick: g((p) => p.vote.max) },
      { metric: `${name}: battle p50 (ms)`, pick: g((p) => p.battle.p50) },
      { metric: `${name}: battle p99 (ms)`, pick: g((p) => p.battle.p99) },
      {
        metric: `${name}: event loop held, max (ms)`,
        pick: g((p) => p.loop.heldMax ?? p.loop.max),
        goal: goals ? { text: `≤ ${GOALS.stallMs}`, ok: (x) => x <= GOALS.stallMs } : undefined,
      },
      { metric: `${name}: event-loop delay max (ms, any cause)`, pick: g((p) => p.loop.max) },
      {
        metric: `${name}: server CPU per vote (ms)`,
        pick: g((p) => p.serverCpuMsPerVote),
        digits: 2,
      },
      { metric: `${name}: server CPU (cores)`, pick: g((p) => p.serverCores), digits: 2 },
      { metric: `${name}: server RSS at end (MB)`, pick: g((p) => p.rssMb), digits: 0 },
      { metric: `${name}: server RSS peak (MB)`, pick: g((p) => p.peakRssMb), digits: 0 },
      { metric: `${name}: other processes (cores)`, pick: g((p) => p.otherCores), digits: 2 },
    );
  };
  if (!values["no-alone"]) phase("votes alone", (r) => r.alone, false);
  phase(`${VIEWERS} viewers`, v, true);
  out.push(
    { metric: `${VIEWERS} viewers: leaderboard GET p50 (ms)`, pick: (r) => v(r).leaderboard.p50 },
    {
      metric: `${VIEWERS} viewers: leaderboard GET p99 (ms)`,
      pick: (r) => v(r).leaderboard.p99,
      goal: { text: `≤ ${GOALS.leaderboardP99Ms}`, ok: (x) => x <= GOALS.leaderboardP99Ms },
    },
    {
      metric: `${VIEWERS} viewers: leaderboard GETs answered`,
      pick: (r) => v(r).leaderboard.n,
      digits: 0,
    },
    { metric: `${VIEWERS} viewers: version GET p50 (ms)`, pick: (r) => v(r).version.p50 },
    { metric: `${VIEWERS} viewers: version GET p99 (ms)`, pick: (r) => v(r).version.p99 },
    {
      metric: `${VIEWERS} viewers: snapshot age p50 (ms)`,
      pick: (r) => v(r).snapshotAge.p50,
      digits: 0,
    },
    {
      metric: `${VIEWERS} viewers: snapshot age p99 (ms)`,
      pick: (r) => v(r).snapshotAge.p99,
      digits: 0,
    },
    {
      metric: `${VIEWERS} viewers: snapshot age max (ms)`,
      pick: (r) => v(r).snapshotAge.max,
      digits: 0,
      goal: { text: `≤ ${GOALS.snapshotAgeMs}`, ok: (x) => x <= GOALS.snapshotAgeMs },
    },
    {
      metric: `${VIEWERS} viewers: versions seen per second`,
      pick: (r) => v(r).versionsPerSecond,
    },
  );
  if (!values["no-alone"])
    out.push(
      {
        metric: "ratio: votes/s with viewers ÷ alone",
        pick: (r) => v(r).votesPerSecond / (r.alone?.votesPerSecond ?? Number.NaN),
        digits: 3,
      },
      {
        metric: "ratio: vote p99 with viewers ÷ alone",
        pick: (r) => v(r).vote.p99 / (r.alone?.vote.p99 ?? Number.NaN),
        digits: 1,
      },
      {
        metric: "ratio: CPU per vote with viewers ÷ alone",
        pick: (r) => v(r).serverCpuMsPerVote / (r.alone?.serverCpuMsPerVote ?? Number.NaN),
        digits: 1,
      },
    );
  if (IMPORT_VOTES > 0) {
    const im = (p: (x: ImportResult) => number) => (r: RunResult) =>
      r.import ? p(r.import) : Number.NaN;
    out.push(
      { metric: "import: wall time (s)", pick: im((x) => x.seconds) },
      { metric: "import: votes/s during", pick: im((x) => x.votesPerSecond) },
      { metric: "import: vote p50 during (ms)", pick: im((x) => x.vote.p50) },
      {
        metric: "import: vote p99 during (ms)",
        pick: im((x) => x.vote.p99),
        goal: { text: `≤ ${GOALS.importVoteP99Ms}`, ok: (x) => x <= GOALS.importVoteP99Ms },
      },
      { metric: "import: vote max during (ms)", pick: im((x) => x.vote.max) },
      {
        metric: "import: event loop held, max (ms)",
        pick: im((x) => x.loop.heldMax ?? x.loop.max),
        goal: { text: `≤ ${GOALS.stallMs}`, ok: (x) => x <= GOALS.stallMs },
      },
      { metric: "import: event-loop delay max (ms, any cause)", pick: im((x) => x.loop.max) },
      {
        metric: "import: peak RSS above idle (MB)",
        pick: im((x) => x.peakAboveIdleMb),
        digits: 0,
        goal: {
          text: `≤ ${GOALS.importRssAboveIdleMb}`,
          ok: (x) => x <= GOALS.importRssAboveIdleMb,
        },
      },
      { metric: "import: idle RSS (MB)", pick: im((x) => x.idleRssMb), digits: 0 },
      { metric: "import: other processes (cores)", pick: im((x) => x.otherCores), digits: 2 },
    );
  }
  return out;
}

function report(results: RunResult[]) {
  const table = rows().map((row) => {
    const each = results.map(row.pick);
    const m = median(each);
    return {
      mark: row.goal ? (Number.isNaN(m) ? "?" : row.goal.ok(m) ? "✓" : "✗") : " ",
      metric: row.metric,
      median: f(m, row.digits ?? 1),
      runs: each.map((x) => f(x, row.digits ?? 1)).join("  "),
      goal: row.goal?.text ?? "",
    };
  });
  const w = (k: "metric" | "median" | "runs") =>
    Math.max(k.length, ...table.map((t) => t[k].length));
  console.log(
    `\n${datasetKey(params)}: ${params.models} models, ${params.prompts} prompts × every model (${params.responseBytes}-byte answers), ` +
      `${params.votes.toLocaleString("en")} votes; ${VOTERS} voters, ${VIEWERS} viewers (${VIEWED.slice(
        0,
        VIEWERS,
      )
        .map((x) => `${x.category}/${x.ci}`)
        .join(", ")}); windows of ${SECONDS} s after ${WARMUP} s warm-up` +
      `${IMPORT_VOTES ? `; import of ${IMPORT_VOTES.toLocaleString("en")} FastChat votes while voting` : ""}. ` +
      `Median of ${results.length} run${results.length === 1 ? "" : "s"}:\n`,
  );
  console.log(
    `  ${"metric".padEnd(w("metric"))}  ${"median".padStart(w("median"))}  ${"runs".padEnd(w("runs"))}  goal`,
  );
  for (const t of table)
    console.log(
      `${t.mark} ${t.metric.padEnd(w("metric"))}  ${t.median.padStart(w("median"))}  ${t.runs.padEnd(w("runs"))}  ${t.goal}`,
    );
  for (const r of results) {
    const bad = Object.entries(r.checks).filter(
      ([k, v]) => v !== true && !(k === "errors" && v === "none"),
    );
    console.log(
      `run ${r.run} checks: ${bad.length ? bad.map(([k, v]) => `${k}: ${v}`).join("; ") : "ok"}${r.import?.response ? `; import answered ${r.import.status}: ${r.import.response}` : ""}`,
    );
  }
  const busy = results.flatMap((r) => [r.alone?.otherCores ?? 0, r.viewers.otherCores]);
  if (Math.max(...busy) > 0.5)
    console.log(
      `⚠ other processes kept up to ${f(Math.max(...busy), 2)} cores busy during the windows: the machine was shared`,
    );
  return table;
}

// ---------------------------------------------------------------------------------------------

/** The JSON output: written after every run (so an interrupted bench keeps what it measured) and at the end. */
function writeJson(results: RunResult[], medians: ReturnType<typeof report> | null) {
  if (!values.json) return;
  const out = {
    params,
    voters: VOTERS,
    viewers: VIEWERS,
    seconds: SECONDS,
    warmup: WARMUP,
    importVotes: IMPORT_VOTES,
    goals: GOALS,
    complete: medians !== null,
    medians,
    runs: results,
  };
  fs.writeFileSync(values.json, JSON.stringify(out, null, 2));
}

if (values["from-json"]) {
  // The report of runs measured earlier (e.g. an interrupted bench's --json), with no server.
  const saved = JSON.parse(fs.readFileSync(values["from-json"], "utf8")) as { runs: RunResult[] };
  report(saved.runs);
  process.exit(0);
}

const root = benchRoot(values);
const extraEnv = envPairs(values.env as string[]);
// Build (or find) the dataset and the import file before any server starts.
await (await prepareDatabase(params, `scale-warm-${process.pid}`)).dispose();
if (IMPORT_VOTES > 0) importFile(params.models, IMPORT_VOTES);
const results: RunResult[] = [];
for (let i = 1; i <= RUNS; i++) {
  const r = await oneRun(i, root, extraEnv);
  results.push(r);
  writeJson(results, null);
  const x = r.viewers;
  console.error(
    `run ${i}: alone ${f(r.alone?.votesPerSecond ?? Number.NaN)} votes/s p99 ${f(r.alone?.vote.p99 ?? Number.NaN)} ms; ` +
      `viewers ${f(x.votesPerSecond)} votes/s p99 ${f(x.vote.p99)} ms, leaderboard p99 ${f(x.leaderboard.p99)} ms, ` +
      `age max ${f(x.snapshotAge.max, 0)} ms, held ${f(x.loop.heldMax ?? Number.NaN)} ms` +
      (r.import
        ? `; import ${f(r.import.seconds)} s, vote p99 ${f(r.import.vote.p99)} ms, +${f(r.import.peakAboveIdleMb, 0)} MB`
        : ""),
  );
}
writeJson(results, report(results));

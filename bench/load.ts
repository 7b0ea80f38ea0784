/**
 * Load benchmark against the production server (`node scripts/server.mjs`, limits off): N
 * concurrent voters each loop {POST /api/battles, POST /api/battles/{id}/vote} while two samplers
 * read GET /api/leaderboard?category=overall and GET / (the arena page) a few times a second.
 *
 *   npx tsx bench/load.ts [--seconds 60] [--concurrency 16] [--warmup 5] [--cpu-prof]
 *
 * Targets (issue 5): ≥ 1,000 votes/s sustained, vote p99 ≤ 100 ms, 0 errors, voted battles in
 * the database = acknowledged (200) votes, leaderboard API and arena page p99 ≤ 200 ms under the
 * same load. Exits non-zero when one is missed.
 *
 * The server gets a fresh database under bench/.cache/ and a port in 3300–3399 (3320 first);
 * the build is refreshed first when stale (--no-build to skip). The generator is node:http with
 * keep-alive sockets, one per voter, so it stays cheap on the shared 2 cores; its own CPU use
 * and the server's are printed with the results. Other options:
 *   --root DIR        serve another checkout (e.g. a scratch copy with a change to try)
 *   --script FILE     the server script, relative to root (default scripts/server.mjs)
 *   --cpu-prof        run the server under `node --cpu-prof`; the .cpuprofile lands in
 *                     bench/.cache/profiles/ (summarise it with bench/profile-summary.ts)
 *   --env K=V         extra server environment (repeatable)
 *   --votes-per-voter N  each voter loop becomes a new anonymous voter every N votes
 *                     (default 0: the same voters throughout, who cycle through the demo set's
 *                     48 prompts again and again: the harder case for matchmaking)
 *   --json FILE       also write the results as JSON
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { countVotedBattles } from "../tests/helpers/db-check";
import {
  CACHE_DIR,
  ensureBuild,
  freePort,
  freshDatabase,
  REPO_ROOT,
  removeDatabase,
  startServer,
} from "../tests/helpers/server-harness";
import { processCpuSeconds } from "./bench-server";
import { runLoad } from "./load-core";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "60" },
    concurrency: { type: "string", default: "16" },
    warmup: { type: "string", default: "5" },
    "sample-rate": { type: "string", default: "4" },
    "votes-per-voter": { type: "string", default: "0" },
    port: { type: "string", default: "3320" },
    root: { type: "string" },
    script: { type: "string" },
    "no-build": { type: "boolean", default: false },
    "cpu-prof": { type: "boolean", default: false },
    env: { type: "string", multiple: true, default: [] },
    json: { type: "string" },
    "keep-db": { type: "boolean", default: false },
  },
});

const SECONDS = Number(values.seconds);
const CONCURRENCY = Number(values.concurrency);
const WARMUP = Number(values.warmup);
const SAMPLE_RATE = Number(values["sample-rate"]);
const PER_VOTER = Number(values["votes-per-voter"]);
const ROOT = path.resolve(values.root ?? REPO_ROOT);
if (!(SECONDS > 0 && SECONDS <= 600)) throw new Error("--seconds must be in (0, 600]");
if (!(CONCURRENCY >= 1 && CONCURRENCY <= 512)) throw new Error("--concurrency must be 1–512");

const TARGETS = {
  votesPerSecond: 1000,
  voteP99Ms: 100,
  readP99Ms: 200,
};

// ---------------------------------------------------------------------------------------------

if (!values["no-build"]) ensureBuild({ root: ROOT });
const dbFile = freshDatabase(`load-${process.pid}`);
const port = await freePort(Number(values.port));
const profileDir = path.join(CACHE_DIR, "profiles");
if (values["cpu-prof"]) fs.mkdirSync(profileDir, { recursive: true });
const extraEnv = Object.fromEntries(
  (values.env as string[]).map((kv) => {
    const i = kv.indexOf("=");
    return [kv.slice(0, i), kv.slice(i + 1)];
  }),
);
const spawnedAt = performance.now();
const server = await startServer({
  port,
  dbFile,
  root: ROOT,
  script: values.script,
  env: extraEnv,
  nodeArgs: values["cpu-prof"]
    ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`, "--cpu-prof-interval=250"]
    : [],
});
console.error(`server pid ${server.pid} on ${server.url} (${ROOT}), database ${dbFile}`);

/** The server's processes: itself and, for a cluster script, its workers. */
function serverPids(): number[] {
  const pids = [server.pid];
  try {
    const children = fs.readFileSync(`/proc/${server.pid}/task/${server.pid}/children`, "utf8");
    for (const c of children.trim().split(/\s+/)) if (c) pids.push(Number(c));
  } catch {
    // no children file
  }
  return pids;
}

// ---------------------------------------------------------------------------------------------
// The load (bench/load-core.ts)

let pids: number[] | undefined;
const run = await runLoad({
  urls: [server.url],
  concurrency: CONCURRENCY,
  warmupSeconds: WARMUP,
  seconds: SECONDS,
  sampleRate: SAMPLE_RATE,
  votesPerVoter: PER_VOTER,
  cpu: {
    // the server's processes as the window opens (a cluster script's workers are up by then)
    server: () => {
      pids ??= serverPids();
      return pids.map(processCpuSeconds).reduce((a, b) => a + b, 0);
    },
  },
});
const measureStart = run.measureStart;
const elapsed = run.seconds;
const serverCpu = run.cpuSeconds.server as number;
const generatorCpu = run.generatorCpuSeconds;
const machineCpu = run.machineCpuSeconds;
const votesInWindow = run.votesInWindow;
const acknowledged = run.acknowledged;
const errors = new Map(Object.entries(run.errors));
const warmupErrors = run.warmupErrors;

const inDb = await countVotedBattles(dbFile);
await server.stop(10_000);
if (!values["keep-db"]) removeDatabase(dbFile);

// ---------------------------------------------------------------------------------------------
// Results

const { vote, battle, leaderboard, page } = run;
const votesPerSecond = run.votesPerSecond;
const fullSeconds = run.perSecond;
const slowestSecond = Math.min(...fullSeconds);
const errorCount = [...errors.values()].reduce((a, b) => a + b, 0);

const f = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : "–");
const checks: { metric: string; value: string; target: string; ok: boolean | null }[] = [
  {
    metric: "votes/s (mean over window)",
    value: f(votesPerSecond),
    target: `≥ ${TARGETS.votesPerSecond}`,
    ok: votesPerSecond >= TARGETS.votesPerSecond,
  },
  {
    metric: "votes/s (slowest 1-s bucket)",
    value: String(slowestSecond),
    target: "",
    ok: null,
  },
  {
    metric: "vote latency p50 / p95 / p99 / max (ms)",
    value: `${f(vote.p50)} / ${f(vote.p95)} / ${f(vote.p99)} / ${f(vote.max)}`,
    target: `p99 ≤ ${TARGETS.voteP99Ms}`,
    ok: vote.p99 <= TARGETS.voteP99Ms,
  },
  {
    metric: "battle latency p50 / p95 / p99 / max (ms)",
    value: `${f(battle.p50)} / ${f(battle.p95)} / ${f(battle.p99)} / ${f(battle.max)}`,
    target: "",
    ok: null,
  },
  {
    metric: `GET /api/leaderboard p50 / p99 (ms), n=${leaderboard.n}`,
    value: `${f(leaderboard.p50)} / ${f(leaderboard.p99)}`,
    target: `p99 ≤ ${TARGETS.readP99Ms}`,
    ok: leaderboard.n > 0 && leaderboard.p99 <= TARGETS.readP99Ms,
  },
  {
    metric: `GET / (arena page) p50 / p99 (ms), n=${page.n}`,
    value: `${f(page.p50)} / ${f(page.p99)}`,
    target: `p99 ≤ ${TARGETS.readP99Ms}`,
    ok: page.n > 0 && page.p99 <= TARGETS.readP99Ms,
  },
  {
    metric: "errors (incl. warm-up)",
    value: errorCount
      ? `${errorCount}: ${[...errors].map(([k, n]) => `${k} ×${n}`).join(", ")}`
      : "0",
    target: "0",
    ok: errorCount === 0,
  },
  {
    metric: "voted battles in DB / acknowledged votes",
    value: `${inDb} / ${acknowledged}`,
    target: "equal",
    ok: inDb === acknowledged,
  },
  {
    metric: "server CPU (cores busy)",
    value: f(serverCpu / elapsed),
    target: "",
    ok: null,
  },
  {
    metric: "server CPU per vote incl. its battle (ms)",
    value: f((serverCpu * 1000) / Math.max(1, votesInWindow)),
    target: "",
    ok: null,
  },
  {
    metric: "load generator CPU (cores busy)",
    value: f(generatorCpu / elapsed),
    target: "",
    ok: null,
  },
  {
    metric: "other processes on the machine (cores busy)",
    value: f((machineCpu - serverCpu - generatorCpu) / elapsed),
    target: "",
    ok: null,
  },
];

console.log(
  `\nload: ${CONCURRENCY} voters × {create battle, vote}${PER_VOTER ? ` (each a new voter every ${PER_VOTER} votes)` : ""} for ${f(elapsed)} s after ${WARMUP} s warm-up; ` +
    `GET /api/leaderboard and GET / each ${SAMPLE_RATE}/s; server ${values.script ?? "scripts/server.mjs"}` +
    `${Object.keys(extraEnv).length ? ` with ${JSON.stringify(extraEnv)}` : ""}\n`,
);
const w = Math.max(...checks.map((c) => c.metric.length));
const wv = Math.max(...checks.map((c) => c.value.length));
for (const c of checks) {
  const mark = c.ok === null ? " " : c.ok ? "✓" : "✗";
  console.log(`${mark} ${c.metric.padEnd(w)}  ${c.value.padEnd(wv)}  ${c.target}`);
}
console.log(`\nvotes per second, second by second: ${fullSeconds.join(" ")}`);
const otherCores = (machineCpu - serverCpu - generatorCpu) / elapsed;
if (otherCores > 0.25)
  console.log(
    `⚠ other processes kept ${otherCores.toFixed(2)} cores busy during the run: the figures understate what the server can do; run again on a quiet machine`,
  );
if (values["cpu-prof"]) {
  const from = ((measureStart - spawnedAt) / 1000).toFixed(1);
  const to = ((measureStart - spawnedAt) / 1000 + elapsed).toFixed(1);
  console.log(
    `CPU profile written to ${profileDir}; summarise the measured window with\n  npx tsx bench/profile-summary.ts ${profileDir}/<file>.cpuprofile --from ${from} --to ${to}`,
  );
}

if (values.json) {
  fs.writeFileSync(
    values.json,
    JSON.stringify(
      {
        concurrency: CONCURRENCY,
        seconds: elapsed,
        votesPerSecond,
        perSecond: fullSeconds,
        vote,
        battle,
        leaderboard,
        page,
        errors: Object.fromEntries(errors),
        warmupErrors,
        acknowledged,
        inDb,
        serverCores: serverCpu / elapsed,
        generatorCores: generatorCpu / elapsed,
        otherCores: (machineCpu - serverCpu - generatorCpu) / elapsed,
        env: extraEnv,
        script: values.script ?? "scripts/server.mjs",
      },
      null,
      2,
    ),
  );
}
const failed = checks.filter((c) => c.ok === false);
console.log(failed.length ? `\nFAIL: ${failed.map((c) => c.metric).join("; ")}` : "\nPASS");
process.exit(failed.length ? 1 : 0);

/**
 * The vote-path load of bench/load.ts (demo dataset, limits off) on SQLite with one app process
 * and on PostgreSQL with 1, 2 and 4 app processes sharing one database, in one run so that the
 * figures are comparable (issue 9: PostgreSQL's per-vote server CPU within 2× SQLite's). Runs
 * through scripts/with-postgres.ts, which starts a throwaway cluster and sets DATABASE_URL:
 *
 *   npm run bench:pg -- [--runs 3] [--seconds 20] [--warmup 10] [--idle 5] [--concurrency 16]
 *       [--processes 1,2,4] [--no-sqlite] [--sample-rate 4] [--root DIR] [--no-build]
 *       [--port 3340] [--env K=V] [--json FILE] [--cpu-prof]
 *
 * Each configuration, in each run, gets a fresh database (an SQLite file under bench/.cache/, a
 * new database on the cluster) that its first process migrates and seeds with the demo set
 * before the others start. Voter i talks to process i mod P, over its own port (no proxy). The
 * configurations' order rotates from run to run, so slow drift on the shared machine does not
 * always fall on the same one.
 *
 * Figures per configuration: votes/s, vote and battle p50/p99, and per acknowledged vote (with
 * its battle): the CPU of all app processes (threads and children included: the fit worker
 * thread counts), and separately the CPU of the cluster's processes (backends, and the
 * checkpointer, WAL writer, autovacuum…: the postmaster's process tree, from /proc). On
 * SQLite the database's work happens inside the app process. After the window, with the voters
 * stopped, --idle seconds of the same readings: what the processes burn with no load (timers,
 * the fit worker's lease, pollers), a cost per process rather than per vote, which is shown
 * as cores and as the share of the per-vote figure it accounts for. --cpu-prof runs every app process
 * under `node --cpu-prof` (profiles in bench/.cache/profiles/, a folder per process named after
 * the configuration, a file per thread; the command to summarise the measured window is printed). After each configuration:
 * voted battles in the database = acknowledged votes. Medians of the runs; the ratios to
 * SQLite are taken within each run before the median. Exit code 1 when a check failed (errors,
 * lost or extra votes), not on the figures.
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { countVotedBattles } from "../tests/helpers/db-check";
import { dropDatabase, freshDatabaseUrl, postgresServer } from "../tests/helpers/server-databases";
import {
  type ArenaServer,
  CACHE_DIR,
  freePort,
  freshDatabase,
  removeDatabase,
  sleep,
  startServer,
} from "../tests/helpers/server-harness";
import { benchRoot, envPairs, median, processTreeCpuSeconds, serverOptions } from "./bench-server";
import { type LoadResult, runLoad } from "./load-core";

const { values } = parseArgs({
  options: {
    ...serverOptions,
    runs: { type: "string", default: "3" },
    seconds: { type: "string", default: "20" },
    warmup: { type: "string", default: "10" },
    idle: { type: "string", default: "5" },
    concurrency: { type: "string", default: "16" },
    processes: { type: "string", default: "1,2,4" },
    "sample-rate": { type: "string", default: "0" },
    "votes-per-voter": { type: "string", default: "0" },
    "no-sqlite": { type: "boolean", default: false },
    "cpu-prof": { type: "boolean", default: false },
  },
});

const RUNS = Number(values.runs);
const SECONDS = Number(values.seconds);
const WARMUP = Number(values.warmup);
const IDLE = Number(values.idle);
const CONCURRENCY = Number(values.concurrency);
const PROCESSES = values.processes.split(",").map(Number);
const PORT = Number(values.port ?? 3340);
for (const [name, v, lo, hi] of [
  ["--runs", RUNS, 1, 20],
  ["--seconds", SECONDS, 1, 600],
  ["--warmup", WARMUP, 0, 600],
  ["--idle", IDLE, 0, 600],
  ["--concurrency", CONCURRENCY, 1, 512],
  ...PROCESSES.map((p) => ["--processes", p, 1, 16] as const),
] as const)
  if (!(Number.isInteger(v) && v >= lo && v <= hi))
    throw new Error(`${name} must be an integer in [${lo}, ${hi}]`);

const server = postgresServer();
if (!server) {
  console.error(
    "bench/load-pg.ts needs a PostgreSQL server in DATABASE_URL: run it as `npm run bench:pg` (scripts/with-postgres.ts starts a throwaway cluster)",
  );
  process.exit(2);
}
const root = benchRoot(values);
const profileDir = path.join(CACHE_DIR, "profiles");
if (values["cpu-prof"]) fs.mkdirSync(profileDir, { recursive: true });
const extraEnv = envPairs(values.env);

// ---------------------------------------------------------------------------------------------
// PostgreSQL's processes

/** The cluster's postmaster, from the postmaster.pid in its data directory. */
async function postmasterPid(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ data_directory: string }>("show data_directory");
    const dir = rows[0]?.data_directory as string;
    const pid = Number(fs.readFileSync(path.join(dir, "postmaster.pid"), "utf8").split("\n")[0]);
    if (!(pid > 0) || !fs.existsSync(`/proc/${pid}`))
      throw new Error(`no postmaster process for ${dir}`);
    return pid;
  } finally {
    await client.end();
  }
}
const postmaster = await postmasterPid(server);

// ---------------------------------------------------------------------------------------------
// One configuration

interface Config {
  name: string;
  database: "sqlite" | "postgres";
  processes: number;
}

interface ConfigResult extends LoadResult {
  config: string;
  inDb: number;
  serverCpuMsPerVote: number;
  postgresCpuMsPerVote: number;
  /** Cores the app processes and the cluster kept busy with no load, after the window. */
  idleServerCores: number;
  idlePostgresCores: number;
  otherCores: number;
}

const configs: Config[] = [
  ...(values["no-sqlite"] ? [] : [{ name: "SQLite 1", database: "sqlite" as const, processes: 1 }]),
  ...PROCESSES.map((p) => ({ name: `PG ${p}`, database: "postgres" as const, processes: p })),
];

async function runConfig(c: Config, run: number): Promise<ConfigResult> {
  const label = `loadpg-${process.pid}-${run}-${c.database}-${c.processes}`;
  const sqliteFile = c.database === "sqlite" ? freshDatabase(label) : undefined;
  const databaseUrl = sqliteFile ? `file:${sqliteFile}` : await freshDatabaseUrl(label);
  const servers: ArenaServer[] = [];
  try {
    let port = PORT;
    const spawnedAt = performance.now();
    // one at a time: the first migrates the new database and seeds the demo set
    for (let i = 0; i < c.processes; i++) {
      port = await freePort(port);
      const nodeArgs = values["cpu-prof"]
        ? [
            "--cpu-prof",
            // a folder per process: its worker threads (fits, imports) write profiles too
            `--cpu-prof-dir=${path.join(profileDir, `${label}-${i + 1}`)}`,
            "--cpu-prof-interval=250",
          ]
        : [];
      servers.push(await startServer({ port, databaseUrl, root, env: extraEnv, nodeArgs }));
      port++;
    }
    console.error(`${c.name} (run ${run}): ports ${servers.map((s) => s.port).join(", ")}`);
    const result = await runLoad({
      urls: servers.map((s) => s.url),
      concurrency: CONCURRENCY,
      warmupSeconds: WARMUP,
      seconds: SECONDS,
      sampleRate: Number(values["sample-rate"]),
      votesPerVoter: Number(values["votes-per-voter"]),
      cpu: {
        servers: () => servers.reduce((sum, s) => sum + processTreeCpuSeconds(s.pid), 0),
        postgres: () => processTreeCpuSeconds(postmaster),
      },
    });
    if (values["cpu-prof"]) {
      // each process's profile starts when it was spawned: the first's offsets (later ones started a little after)
      const from = ((result.measureStart - spawnedAt) / 1000).toFixed(1);
      const to = ((result.measureStart - spawnedAt) / 1000 + result.seconds).toFixed(1);
      console.error(
        `${c.name} (run ${run}): profiles in ${profileDir}/${label}-N/ (process N; the main thread's is the file with thread id 0, CPU.<date>.<time>.<pid>.0.*); summarise the first process's measured window with\n  npx tsx bench/profile-summary.ts ${profileDir}/${label}-1/CPU.*.0.*.cpuprofile --from ${from} --to ${to}`,
      );
    }
    const readServers = () => servers.reduce((sum, s) => sum + processTreeCpuSeconds(s.pid), 0);
    await sleep(1000); // answers in flight, the last fit
    const idle0 = [readServers(), processTreeCpuSeconds(postmaster), performance.now()];
    await sleep(IDLE * 1000);
    const idleSeconds = (performance.now() - (idle0[2] as number)) / 1000;
    const idleServerCores = (readServers() - (idle0[0] as number)) / idleSeconds;
    const idlePostgresCores =
      (processTreeCpuSeconds(postmaster) - (idle0[1] as number)) / idleSeconds;
    const inDb = await countVotedBattles(databaseUrl);
    const votes = Math.max(1, result.votesInWindow);
    const serverCpu = result.cpuSeconds.servers as number;
    const postgresCpu = result.cpuSeconds.postgres as number;
    return {
      ...result,
      config: c.name,
      inDb,
      idleServerCores,
      idlePostgresCores,
      serverCpuMsPerVote: (serverCpu * 1000) / votes,
      postgresCpuMsPerVote: (postgresCpu * 1000) / votes,
      otherCores:
        (result.machineCpuSeconds - serverCpu - postgresCpu - result.generatorCpuSeconds) /
        result.seconds,
    };
  } finally {
    await Promise.all(servers.map((s) => s.stop(10_000)));
    if (sqliteFile) removeDatabase(sqliteFile);
    else await dropDatabase(databaseUrl);
  }
}

// ---------------------------------------------------------------------------------------------
// The runs

const f = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : "–");
const runs: ConfigResult[][] = [];
let failed = false;

function checkOf(r: ConfigResult): string {
  const errors = Object.values(r.errors).reduce((a, b) => a + b, 0);
  const problems = [
    ...(r.inDb !== r.acknowledged ? [`${r.inDb} voted battles in the database`] : []),
    ...(errors ? [`errors: ${JSON.stringify(r.errors)}`] : []),
  ];
  return problems.length ? `✗ ${problems.join("; ")}` : `✓ ${r.inDb} = ${r.acknowledged}`;
}

for (let run = 1; run <= RUNS; run++) {
  const order = configs.map((_, i) => configs[(i + run - 1) % configs.length] as Config);
  const results: ConfigResult[] = [];
  for (const c of order) {
    const r = await runConfig(c, run);
    results.push(r);
    if (checkOf(r).startsWith("✗")) failed = true;
    console.error(
      `${c.name} (run ${run}): ${f(r.votesPerSecond)} votes/s, vote p50/p99 ${f(r.vote.p50)}/${f(r.vote.p99)} ms, ` +
        `server ${f(r.serverCpuMsPerVote, 2)} ms/vote, postgres ${f(r.postgresCpuMsPerVote, 2)} ms/vote, ` +
        `idle ${f(r.idleServerCores, 3)} + ${f(r.idlePostgresCores, 3)} cores, other processes ${f(r.otherCores, 2)} cores; voted battles = acknowledged: ${checkOf(r)}`,
    );
  }
  runs.push(configs.map((c) => results.find((r) => r.config === c.name) as ConfigResult));
  if (values.json) fs.writeFileSync(values.json, JSON.stringify({ configs, runs }, null, 2));
}

// ---------------------------------------------------------------------------------------------
// The table: medians of the runs

const sqliteIndex = configs.findIndex((c) => c.database === "sqlite");
const med = (i: number, pick: (r: ConfigResult, run: ConfigResult[]) => number) =>
  median(runs.map((run) => pick(run[i] as ConfigResult, run)));
const ratio = (
  i: number,
  pick: (r: ConfigResult) => number,
  of: (r: ConfigResult) => number = pick,
) =>
  sqliteIndex < 0 ? Number.NaN : med(i, (r, run) => pick(r) / of(run[sqliteIndex] as ConfigResult));
const total = (r: ConfigResult) =>
  r.serverCpuMsPerVote + (r.config.startsWith("SQLite") ? 0 : r.postgresCpuMsPerVote);

const header = [
  "configuration",
  "votes/s",
  "vote p50",
  "vote p99",
  "battle p50",
  "battle p99",
  "server CPU ms/vote",
  "postgres CPU ms/vote",
  "server+postgres ms/vote",
  "server ÷ SQLite",
  "server+postgres ÷ SQLite",
  "idle cores: servers / postgres",
  "other cores",
];
const table = configs.map((c, i) => [
  c.name,
  f(
    med(i, (r) => r.votesPerSecond),
    0,
  ),
  f(med(i, (r) => r.vote.p50)),
  f(med(i, (r) => r.vote.p99)),
  f(med(i, (r) => r.battle.p50)),
  f(med(i, (r) => r.battle.p99)),
  f(
    med(i, (r) => r.serverCpuMsPerVote),
    2,
  ),
  c.database === "sqlite"
    ? "(in the server)"
    : f(
        med(i, (r) => r.postgresCpuMsPerVote),
        2,
      ),
  f(med(i, total), 2),
  f(
    ratio(i, (r) => r.serverCpuMsPerVote),
    2,
  ),
  f(ratio(i, total), 2),
  `${f(
    med(i, (r) => r.idleServerCores),
    3,
  )} / ${
    c.database === "sqlite"
      ? "–"
      : f(
          med(i, (r) => r.idlePostgresCores),
          3,
        )
  }`,
  f(
    med(i, (r) => r.otherCores),
    2,
  ),
]);
console.log(
  `\nvote-path load (bench/load-core.ts): ${CONCURRENCY} voters × {create battle, vote}, ${SECONDS}-s windows after ${WARMUP} s warm-up, ` +
    `medians of ${RUNS} run${RUNS > 1 ? "s" : ""}; latencies in ms; CPU per acknowledged vote (with its battle)\n`,
);
console.log(`| ${header.join(" | ")} |`);
console.log(`|${header.map(() => " --- ").join("|")}|`);
for (const row of table) console.log(`| ${row.join(" | ")} |`);
console.log(
  `\nvoted battles = acknowledged votes, every configuration and run: ${failed ? "✗ (see above)" : "✓"}`,
);
if (sqliteIndex >= 0)
  for (const [i, c] of configs.entries()) {
    if (c.database !== "postgres") continue;
    const r = ratio(i, (x) => x.serverCpuMsPerVote);
    console.log(
      `${r <= 2 ? "✓" : "✗"} ${c.name}: server CPU per vote ${f(r, 2)}× SQLite's (goal ≤ 2×); with PostgreSQL's own ${f(ratio(i, total), 2)}×`,
    );
  }
const busy = Math.max(...configs.map((_, i) => med(i, (r) => r.otherCores)));
if (busy > 0.25)
  console.log(
    `⚠ other processes kept up to ${busy.toFixed(2)} cores busy: throughput and latency understate what the servers can do; CPU per vote is the steadier figure`,
  );
process.exit(failed ? 1 : 0);

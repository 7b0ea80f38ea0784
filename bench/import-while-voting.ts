/**
 * Voting while an admin imports: N voters loop {POST /api/battles, POST …/vote} against the
 * production server (limits off) while an admin POSTs a file to /api/admin/import with the
 * bearer token. Two files: the real 25,938 FastChat votes (../shared/data/lmsys-2023-en-votes.csv)
 * and a generated votes CSV (1,000,000 rows by default), each imported into a fresh server
 * `--runs` times; the figures are the medians over the runs.
 *
 *   npx tsx bench/import-while-voting.ts [--runs 3] [--generated 1000000] [--concurrency 8]
 *                                        [--idle 5] [--port 3340] [--only real|generated]
 *                                        [--root DIR] [--no-build] [--json FILE]
 *
 * `--root DIR` serves another checkout (e.g. one from before imports were batched, to compare).
 * Measured, idle (a window of voting alone, before the import) against during the import (every
 * vote whose request overlapped the upload-parse-write-commit of the import request):
 *   - vote latency p50 / p99 / max as the voters see it, and votes per second;
 *   - the server's event-loop delay (monitorEventLoopDelay, preloaded by bench/loop-delay.mjs
 *     and read on SIGUSR2): its max is the longest time the loop was held by anything; and, of
 *     each gap, the time the main thread was on a CPU (schedstat): what the server's own work
 *     held it for, as opposed to waiting for a CPU on a shared machine (also reported);
 *   - the import's wall time (the admin's request, upload included);
 * and the result: the import's summary counts all the file's votes, the tallies equal a recompute
 * from the battles afterwards, nothing is left pending, every acknowledged vote is in the
 * database. Targets (issue #9) during the import: vote p99 ≤ 100 ms, the loop held by the
 * server's own work ≤ 50 ms at a time, and peak RSS ≤ 300 MB above the idle server's for a
 * 1M-vote file (sampled every 20 ms). Exits non-zero when missed.
 *
 * Database files under bench/.cache/, ports from 3340 (3331+ is ours; the harness allows ≤ 3399).
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { checkDatabase, openReadOnly } from "../tests/helpers/db-check";
import {
  CACHE_DIR,
  ensureBuild,
  freshDatabase,
  HttpClient,
  REPO_ROOT,
  removeDatabase,
  sleep,
  Voter,
  WINNERS,
} from "../tests/helpers/server-harness";
import {
  machineBusySeconds,
  processCpuSeconds,
  processRssBytes,
  startBenchServer,
  uploadImport,
} from "./bench-server";
import { percentile, seededRng } from "./support";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    generated: { type: "string", default: "1000000" },
    concurrency: { type: "string", default: "8" },
    idle: { type: "string", default: "5" },
    port: { type: "string", default: "3340" },
    only: { type: "string" },
    root: { type: "string" },
    "no-build": { type: "boolean", default: false },
    json: { type: "string" },
  },
});
const RUNS = Number(values.runs);
const CONCURRENCY = Number(values.concurrency);
const IDLE_S = Number(values.idle);
const REAL = path.resolve("../shared/data/lmsys-2023-en-votes.csv");
const TARGET_MS = 100;
/** Issue #9: event-loop stalls (the loop held by the server's own work) stay under this. */
const STALL_TARGET_MS = 50;
/** Issue #9: the import's peak memory above the idle server's, for a 1M-vote file. */
const RSS_TARGET_MB = 300;
const ROOT = path.resolve(values.root ?? REPO_ROOT);

// ---------------------------------------------------------------------------------------------
// Files

/** A FastChat-shaped votes CSV of `n` rows between 24 models of graded strength, made once. */
function generatedVotes(n: number): string {
  const file = path.join(CACHE_DIR, `generated-votes-${n}.csv`);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const rng = seededRng(2023);
  const models = Array.from({ length: 24 }, (_, i) => `gen-model-${String(i).padStart(2, "0")}`);
  const lines = ["arena_idx,model_a,model_b,winner"];
  const fd = fs.openSync(`${file}.tmp`, "w");
  for (let i = 0; i < n; i++) {
    const a = Math.floor(rng() * models.length);
    let b = Math.floor(rng() * (models.length - 1));
    if (b >= a) b++;
    const pA = 1 / (1 + 10 ** ((a - b) / 10)); // lower index = stronger
    const r = rng();
    const winner =
      r < 0.15 ? "tie" : r < 0.2 ? "tie (bothbad)" : rng() < pA ? "model_a" : "model_b";
    lines.push(`${i},${models[a]},${models[b]},${winner}`);
    if (lines.length >= 10_000) {
      fs.writeSync(fd, `${lines.join("\n")}\n`);
      lines.length = 0;
    }
  }
  fs.writeSync(fd, lines.length ? `${lines.join("\n")}\n` : "");
  fs.closeSync(fd);
  fs.renameSync(`${file}.tmp`, file);
  return file;
}

// ---------------------------------------------------------------------------------------------
// One run

/** Resident memory of a process, in MB (NaN where /proc is missing). */
const rssMb = (pid: number) => processRssBytes(pid) / 2 ** 20;

interface Sample {
  start: number;
  end: number;
  ms: number;
}

async function run(file: string, expectedVotes: number, label: string, index: number) {
  const dbFile = freshDatabase(`import-while-voting-${process.pid}`);
  const bench = await startBenchServer({
    root: ROOT,
    port: Number(values.port),
    databaseUrl: `file:${dbFile}`,
    dbFile,
  });
  const { server, loopDelay } = bench;

  const client = new HttpClient(server.url, { maxSockets: CONCURRENCY });
  const votes: Sample[] = [];
  const errors = new Map<string, number>();
  let acknowledged = 0;
  let stop = false;
  const error = (k: string) => errors.set(k, (errors.get(k) ?? 0) + 1);
  async function voterLoop(seed: number) {
    const voter = new Voter(client);
    let w = seed;
    while (!stop) {
      let battleId: string | undefined;
      try {
        const b = await voter.createBattle();
        battleId = b.battle?.id;
        if (!battleId) error(`battle ${b.status}`);
      } catch (e) {
        error(`battle ${(e as Error).message}`);
      }
      if (!battleId) {
        await sleep(10);
        continue;
      }
      const start = performance.now();
      try {
        const r = await voter.vote(battleId, WINNERS[w++ % WINNERS.length] ?? "a");
        const end = performance.now();
        if (r.status === 200) {
          acknowledged++;
          votes.push({ start, end, ms: end - start });
        } else error(`vote ${r.status}`);
      } catch (e) {
        error(`vote ${(e as Error).message}`);
      }
    }
  }
  const loops = Array.from({ length: CONCURRENCY }, (_, i) => voterLoop(i));

  await sleep(3000); // warm-up: JIT, page cache, the voters' cookies
  await loopDelay();
  const idleStart = performance.now();
  await sleep(IDLE_S * 1000);
  const idleEnd = performance.now();
  const idleLoop = await loopDelay();

  const machine0 = machineBusySeconds();
  const server0 = processCpuSeconds(server.pid);
  const self0 = process.cpuUsage();
  // Memory: resident size just before the upload, and its peak (sampled every 20 ms) until done.
  const idleRss = rssMb(server.pid);
  let peakRss = idleRss;
  const rssTimer = setInterval(() => {
    peakRss = Math.max(peakRss, rssMb(server.pid));
  }, 20);
  const importStart = performance.now();
  const response = await uploadImport(server.url, file);
  const importEnd = performance.now();
  clearInterval(rssTimer);
  peakRss = Math.max(peakRss, rssMb(server.pid));
  const seconds = (importEnd - importStart) / 1000;
  const self = process.cpuUsage(self0);
  const serverCores = (processCpuSeconds(server.pid) - server0) / seconds;
  const otherCores =
    (machineBusySeconds() - machine0) / seconds -
    serverCores -
    (self.user + self.system) / 1e6 / seconds;
  const importLoop = await loopDelay();
  await sleep(500);
  stop = true;
  await Promise.all(loops);
  client.close();

  const summary = JSON.parse(response.body) as {
    imported?: { votes: number };
    error?: string;
  };
  const db = await checkDatabase(dbFile);
  const { sqlite } = openReadOnly(dbFile);
  const q = (s: string) => (sqlite.prepare(s).get() as { n: number | string }).n;
  const state = {
    pending: Number(
      q(
        "select (select count(*) from battles where pending = 1) + (select count(*) from responses where pending = 1) as n",
      ),
    ),
    status: String(q("select status as n from imports order by id desc limit 1")),
    importedBattles: Number(q("select count(*) as n from battles where source = 'import'")),
    liveVoted: Number(
      q("select count(*) as n from battles where source = 'live' and winner is not null"),
    ),
  };
  sqlite.close();
  await bench.stop();
  removeDatabase(dbFile);

  const stats = (xs: Sample[], seconds: number) => {
    const ms = xs.map((s) => s.ms).sort((a, b) => a - b);
    return {
      n: ms.length,
      perSecond: ms.length / seconds,
      p50: percentile(ms, 0.5),
      p99: percentile(ms, 0.99),
      max: ms.length ? (ms[ms.length - 1] as number) : Number.NaN,
    };
  };
  const idle = stats(
    votes.filter((s) => s.start >= idleStart && s.end <= idleEnd),
    (idleEnd - idleStart) / 1000,
  );
  const during = stats(
    votes.filter((s) => s.end >= importStart && s.start <= importEnd),
    (importEnd - importStart) / 1000,
  );
  const checks = {
    status: response.status === 201,
    summary: summary.imported?.votes === expectedVotes,
    inDb: state.importedBattles === expectedVotes,
    talliesEqualRecompute: db.tallyMismatches.length === 0,
    nothingPending: state.pending === 0,
    done: state.status === "done",
    integrity: db.integrity === "ok",
    acknowledgedInDb: state.liveVoted === acknowledged,
    noErrors: errors.size === 0,
  };
  const result = {
    file: label,
    run: index,
    importSeconds: seconds,
    idleRssMb: idleRss,
    rssAboveIdleMb: peakRss - idleRss,
    serverCores,
    otherCores,
    idle: { votes: idle, loop: idleLoop },
    import: { votes: during, loop: importLoop },
    checks,
    errors: Object.fromEntries(errors),
    response: response.status === 201 ? undefined : response.body.slice(0, 500),
  };
  const f = (x: number) => x.toFixed(1);
  console.log(
    `${label} run ${index}: import ${f(result.importSeconds)} s; votes idle p50/p99/max ${f(idle.p50)}/${f(idle.p99)}/${f(idle.max)} ms (${f(idle.perSecond)}/s), ` +
      `during import ${f(during.p50)}/${f(during.p99)}/${f(during.max)} ms (${f(during.perSecond)}/s, n=${during.n}); ` +
      `loop delay max idle ${f(idleLoop.max)} ms, import ${f(importLoop.max)} ms; ` +
      `RSS idle ${f(idleRss)} MB, peak +${f(peakRss - idleRss)} MB; ` +
      `loop held (CPU) max idle ${f(idleLoop.heldMax ?? Number.NaN)} ms, import ${f(importLoop.heldMax ?? Number.NaN)} ms; ` +
      `server ${f(serverCores)} cores, other processes ${f(otherCores)} cores; ` +
      `checks ${Object.values(checks).every(Boolean) ? "ok" : JSON.stringify(checks)}${result.response ? ` ${result.response}` : ""}`,
  );
  return result;
}

// ---------------------------------------------------------------------------------------------

if (!values["no-build"]) ensureBuild({ root: ROOT });
const files: { label: string; file: string; votes: number }[] = [];
if (values.only !== "generated") {
  if (!fs.existsSync(REAL)) throw new Error(`${REAL} is missing`);
  files.push({ label: "real 25,938 votes", file: REAL, votes: 25_938 });
}
if (values.only !== "real") {
  const n = Number(values.generated);
  files.push({
    label: `generated ${n.toLocaleString("en")} votes`,
    file: generatedVotes(n),
    votes: n,
  });
}

const results: Awaited<ReturnType<typeof run>>[] = [];
for (const f of files)
  for (let i = 1; i <= RUNS; i++) results.push(await run(f.file, f.votes, f.label, i));

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
console.log(`\nmedians of ${RUNS} runs, ${CONCURRENCY} voters (ms unless said):`);
let failed = false;
for (const f of files) {
  const rs = results.filter((r) => r.file === f.label);
  const m = (pick: (r: (typeof rs)[number]) => number) => median(rs.map(pick)).toFixed(1);
  const ok = rs.every((r) => Object.values(r.checks).every(Boolean));
  const p99 = median(rs.map((r) => r.import.votes.p99));
  const max = median(rs.map((r) => r.import.votes.max));
  const meets = p99 <= TARGET_MS;
  const held = median(rs.map((r) => r.import.loop.heldMax ?? Number.NaN));
  const rss = median(rs.map((r) => r.rssAboveIdleMb));
  // held is NaN off Linux: not judged there
  const stalls = !(held > STALL_TARGET_MS);
  const memory = f.votes < 1_000_000 || rss <= RSS_TARGET_MB * (f.votes / 1_000_000);
  failed ||= !ok || !meets || !stalls || !memory;
  console.log(
    `${f.label}: import wall time ${m((r) => r.importSeconds)} s\n` +
      `  vote latency p50 / p99 / max  idle ${m((r) => r.idle.votes.p50)} / ${m((r) => r.idle.votes.p99)} / ${m((r) => r.idle.votes.max)}` +
      `   during import ${m((r) => r.import.votes.p50)} / ${p99.toFixed(1)} / ${max.toFixed(1)}  ${meets ? "✓" : "✗"} (p99 ≤ ${TARGET_MS})\n` +
      `  votes per second              idle ${m((r) => r.idle.votes.perSecond)}   during import ${m((r) => r.import.votes.perSecond)}\n` +
      `  event-loop delay max / p99    idle ${m((r) => r.idle.loop.max)} / ${m((r) => r.idle.loop.p99)}   during import ${m((r) => r.import.loop.max)} / ${m((r) => r.import.loop.p99)}\n` +
      `  loop held on CPU max / p99    idle ${m((r) => r.idle.loop.heldMax ?? Number.NaN)} / ${m((r) => r.idle.loop.heldP99 ?? Number.NaN)}   during import ${m((r) => r.import.loop.heldMax ?? Number.NaN)} / ${m((r) => r.import.loop.heldP99 ?? Number.NaN)}  ${stalls ? "✓" : "✗"} (max ≤ ${STALL_TARGET_MS})\n` +
      `  waiting for a CPU, longest    idle ${m((r) => r.idle.loop.runqueueMax ?? Number.NaN)}   during import ${m((r) => r.import.loop.runqueueMax ?? Number.NaN)}\n` +
      `  memory                        idle RSS ${m((r) => r.idleRssMb)} MB, peak during import +${m((r) => r.rssAboveIdleMb)} MB  ${memory ? "✓" : "✗"} (≤ ${RSS_TARGET_MB} per 1M votes)\n` +
      `  CPU during the import          server ${m((r) => r.serverCores)} cores, other processes on the machine ${m((r) => r.otherCores)} cores (of 2)\n` +
      `  result: ${ok ? "✓ summary and database hold every vote, tallies = recompute, nothing pending, every acknowledged vote stored" : "✗ see the runs above"}`,
  );
}
if (values.json) fs.writeFileSync(values.json, JSON.stringify(results, null, 2));
process.exit(failed ? 1 : 0);

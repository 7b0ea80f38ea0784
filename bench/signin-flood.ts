/**
 * Voting latency during a password-guessing flood, against the production server
 * (`node scripts/server.mjs`). One voter loops {POST /api/battles, POST /api/battles/{id}/vote}
 * and times each pair on an idle server (half the time before, half after the flood) and while
 * N loops post wrong passwords to next-auth's credentials callback as fast as they are answered.
 *
 *   npx tsx bench/signin-flood.ts [--runs 3] [--seconds 10] [--flood 16] [--mode distinct|single]
 *
 * --mode distinct (default): every attempt comes from another address (X-Forwarded-For, with
 *   TRUST_PROXY=1) for another account, so the throttle never stops one and every attempt
 *   costs a full bcrypt check: this measures that hashing stays off the event loop.
 * --mode single: the flood comes from one address against one account, as a plain guesser's
 *   would: this measures the throttle (most attempts get 429 without a bcrypt check).
 *
 * Target: the flood's median pair latency at most 2× the idle median. Prints each run and the
 * medians over runs; exits non-zero when the median ratio misses the target. The build is
 * refreshed first when stale (--no-build to skip); --root serves another checkout (e.g. an
 * older commit, to compare); --cpu-prof writes the server's profile to bench/.cache/profiles/
 * (summarise it with bench/profile-summary.ts). Ports 3300–3399, databases under bench/.cache/.
 */
import http from "node:http";
import path from "node:path";
import { parseArgs } from "node:util";
import {
  CACHE_DIR,
  ensureBuild,
  freePort,
  freshDatabase,
  HttpClient,
  REPO_ROOT,
  removeDatabase,
  sleep,
  startServer,
  Voter,
} from "../tests/helpers/server-harness";
import { percentile } from "./support";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    seconds: { type: "string", default: "10" },
    flood: { type: "string", default: "16" },
    mode: { type: "string", default: "distinct" },
    port: { type: "string", default: "3340" },
    root: { type: "string" },
    "no-build": { type: "boolean", default: false },
    "cpu-prof": { type: "boolean", default: false },
  },
});

const RUNS = Number(values.runs);
const SECONDS = Number(values.seconds);
const FLOOD = Number(values.flood);
const MODE = values.mode;
const ROOT = path.resolve(values.root ?? REPO_ROOT);
if (!(RUNS >= 1 && RUNS <= 20)) throw new Error("--runs must be 1–20");
if (!(SECONDS > 0 && SECONDS <= 300)) throw new Error("--seconds must be in (0, 300]");
if (!(FLOOD >= 1 && FLOOD <= 256)) throw new Error("--flood must be 1–256");
if (MODE !== "distinct" && MODE !== "single") throw new Error("--mode must be distinct or single");

const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    0.5,
  );

/** A form POST with headers, on a keep-alive agent; resolves to the status and Set-Cookie. */
function postForm(
  agent: http.Agent,
  url: URL,
  pathname: string,
  form: Record<string, string>,
  headers: Record<string, string>,
): Promise<{ status: number; setCookie: string[]; body: string }> {
  const payload = new URLSearchParams(form).toString();
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: pathname.startsWith("GET ") ? "GET" : "POST",
        path: pathname.replace(/^GET /, ""),
        agent,
        headers: {
          ...headers,
          "content-type": "application/x-www-form-urlencoded",
          "content-length": String(Buffer.byteLength(payload)),
        },
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => {
          body += c;
        });
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            setCookie: res.headers["set-cookie"] ?? [],
            body,
          }),
        );
      },
    );
    req.setTimeout(60_000, () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end(pathname.startsWith("GET ") ? undefined : payload);
  });
}

let addressCounter = 0;
/** A fresh IPv4 address per attempt in distinct mode (10.x.y.z), one fixed address otherwise. */
function attackerAddress(): string {
  if (MODE === "single") return "198.51.100.7";
  const n = ++addressCounter;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

interface RunResult {
  idleMedian: number;
  idleP95: number;
  floodMedian: number;
  floodP95: number;
  pairs: { idle: number; flood: number };
  attempts: Map<number, number>;
  attemptsPerSecond: number;
}

/** Times battle+vote pairs, one after another, until `until()` says stop. */
async function votePairs(voter: Voter, until: () => boolean): Promise<number[]> {
  const ms: number[] = [];
  while (!until()) {
    const t = performance.now();
    const b = await voter.createBattle();
    if (!b.battle) throw new Error(`POST /api/battles answered ${b.status}: ${b.body}`);
    const v = await voter.vote(b.battle.id, "tie");
    if (v.status !== 200) throw new Error(`vote answered ${v.status}: ${v.body}`);
    ms.push(performance.now() - t);
    // A voter reads before voting again; this also keeps the loop from being the load itself.
    await sleep(20);
  }
  return ms;
}

async function oneRun(run: number): Promise<RunResult> {
  const dbFile = freshDatabase(`signin-flood-${process.pid}-${run}`);
  const port = await freePort(Number(values.port));
  const server = await startServer({
    port,
    dbFile,
    root: ROOT,
    nodeArgs: values["cpu-prof"]
      ? ["--cpu-prof", `--cpu-prof-dir=${path.join(CACHE_DIR, "profiles")}`]
      : [],
    env: {
      TRUST_PROXY: "1",
      ADMIN_EMAIL: "bench-admin@example.com",
      ADMIN_PASSWORD: "bench-admin-password",
    },
  });
  const base = new URL(server.url);
  const client = new HttpClient(server.url, { maxSockets: 4 });
  const floodAgent = new http.Agent({ keepAlive: true, maxSockets: FLOOD });
  try {
    const voter = new Voter(client);
    // Warm up both paths (JIT, the first bcrypt worker, the database pages).
    const warmEnd = performance.now() + 2000;
    await votePairs(voter, () => performance.now() > warmEnd);

    // Idle before and after the flood: the machine's other load drifts, and the average of the
    // two windows cancels a steady drift out of the comparison.
    const idleEnd = performance.now() + (SECONDS * 1000) / 2;
    const idle = await votePairs(voter, () => performance.now() > idleEnd);

    let flooding = true;
    const attempts = new Map<number, number>();
    let counted = 0;
    let countFrom = 0;
    const floodLoop = async (i: number) => {
      // next-auth's CSRF pair: the token in the body, its cookie alongside.
      const csrf = await postForm(floodAgent, base, "GET /api/auth/csrf", {}, {});
      const cookie = csrf.setCookie.map((c) => c.split(";", 1)[0]).join("; ");
      const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
      let n = 0;
      while (flooding) {
        n++;
        const email = MODE === "single" ? "bench-admin@example.com" : `flood-${i}-${n}@example.com`;
        const r = await postForm(
          floodAgent,
          base,
          "/api/auth/callback/credentials",
          { email, password: `wrong-${n}`, csrfToken, callbackUrl: "/admin", json: "true" },
          { cookie, "x-forwarded-for": attackerAddress() },
        );
        if (countFrom && flooding) {
          attempts.set(r.status, (attempts.get(r.status) ?? 0) + 1);
          counted++;
        }
      }
    };
    const loops = Array.from({ length: FLOOD }, (_, i) => floodLoop(i));
    // Let the flood fill the queue before timing votes under it.
    await sleep(1500);
    countFrom = performance.now();
    const floodEnd = performance.now() + SECONDS * 1000;
    const flood = await votePairs(voter, () => performance.now() > floodEnd);
    const floodSeconds = (performance.now() - countFrom) / 1000;
    flooding = false;
    // Every flood request answered (the worker queue drained) before the second idle window.
    await Promise.all(loops);
    const idleAgainEnd = performance.now() + (SECONDS * 1000) / 2;
    idle.push(...(await votePairs(voter, () => performance.now() > idleAgainEnd)));

    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    return {
      idleMedian: percentile(sorted(idle), 0.5),
      idleP95: percentile(sorted(idle), 0.95),
      floodMedian: percentile(sorted(flood), 0.5),
      floodP95: percentile(sorted(flood), 0.95),
      pairs: { idle: idle.length, flood: flood.length },
      attempts,
      attemptsPerSecond: counted / floodSeconds,
    };
  } finally {
    client.close();
    floodAgent.destroy();
    await server.stop();
    removeDatabase(dbFile);
  }
}

if (!values["no-build"]) ensureBuild({ root: ROOT });
console.log(
  `sign-in flood: ${FLOOD} loops, mode ${MODE}, ${SECONDS} s idle (before and after) + ${SECONDS} s flood per run, ${RUNS} runs (${ROOT})`,
);
const results: RunResult[] = [];
for (let run = 1; run <= RUNS; run++) {
  const r = await oneRun(run);
  results.push(r);
  const statuses = [...r.attempts].map(([s, n]) => `${s}×${n}`).join(" ");
  console.log(
    `run ${run}: battle+vote median ${r.idleMedian.toFixed(1)} ms idle (p95 ${r.idleP95.toFixed(1)}, ${r.pairs.idle} pairs), ` +
      `${r.floodMedian.toFixed(1)} ms under the flood (p95 ${r.floodP95.toFixed(1)}, ${r.pairs.flood} pairs), ` +
      `ratio ${(r.floodMedian / r.idleMedian).toFixed(2)}; sign-in attempts ${r.attemptsPerSecond.toFixed(1)}/s [${statuses}]`,
  );
}
const idleMedian = median(results.map((r) => r.idleMedian));
const floodMedian = median(results.map((r) => r.floodMedian));
const ratio = median(results.map((r) => r.floodMedian / r.idleMedian));
console.log(
  `median of ${RUNS} runs: idle ${idleMedian.toFixed(1)} ms, flood ${floodMedian.toFixed(1)} ms, ratio ${ratio.toFixed(2)} (target ≤ 2), ` +
    `sign-in attempts ${median(results.map((r) => r.attemptsPerSecond)).toFixed(1)}/s`,
);
process.exit(ratio <= 2 ? 0 : 1);

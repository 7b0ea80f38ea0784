/**
 * GET /api/leaderboard with 1,000,000 votes over 100 models in the database, against the
 * production server. Target: p50 ≤ 20 ms once warm (the fit is cached until the tallies change).
 *
 *   npx tsx bench/leaderboard-api.ts [--votes 1000000] [--models 100] [--requests 300]
 */
import fs from "node:fs";
import { parseArgs } from "node:util";
import { openDatabase } from "../db/client";
import { recomputeTallies } from "../lib/arena/tallies";
import {
  CACHE_DIR,
  ensureBuild,
  freePort,
  HttpClient,
  startServer,
} from "../tests/helpers/server-harness";
import { percentile, seededRng } from "./support";

const { values } = parseArgs({
  options: {
    votes: { type: "string", default: "1000000" },
    models: { type: "string", default: "100" },
    requests: { type: "string", default: "300" },
  },
});
const V = Number(values.votes);
const M = Number(values.models);
const R = Number(values.requests);
const PROMPTS = 2000;

fs.mkdirSync(CACHE_DIR, { recursive: true });
const dbFile = `${CACHE_DIR}/leaderboard-${V}-${M}.db`;
if (!fs.existsSync(dbFile)) {
  const t0 = performance.now();
  const db = openDatabase(`file:${dbFile}`);
  const sqlite = db.$client;
  const rng = seededRng(3);
  const strength = Array.from({ length: M }, (_, i) => (i / M) * 3);
  sqlite.transaction(() => {
    const model = sqlite.prepare(
      "insert into models (slug, display_name, organization) values (?, ?, 'Bench')",
    );
    for (let m = 1; m <= M; m++) model.run(`model-${m}`, `Model ${m}`);
    const prompt = sqlite.prepare(
      "insert into prompts (text, language, content_hash, source) values (?, 'en', ?, 'bench')",
    );
    const category = sqlite.prepare(
      "insert into prompt_categories (prompt_id, category) values (?, ?)",
    );
    for (let p = 1; p <= PROMPTS; p++) {
      prompt.run(`Bench prompt ${p}`, `lb-${p}`);
      category.run(p, "english");
      if (p % 4 === 0) category.run(p, "math");
    }
    const battle = sqlite.prepare(
      "insert into battles (id, prompt_id, model_a_id, model_b_id, voter_id, created_at, winner, voted_at, source) values (?, ?, ?, ?, ?, ?, ?, ?, 'live')",
    );
    for (let i = 0; i < V; i++) {
      const a = 1 + Math.floor(rng() * M);
      let b = 1 + Math.floor(rng() * (M - 1));
      if (b >= a) b++;
      const p = 1 / (1 + 10 ** (((strength[b - 1] ?? 0) - (strength[a - 1] ?? 0)) / 4));
      const u = rng();
      const winner = u < 0.1 ? "tie" : u < 0.15 ? "bothbad" : rng() < p ? "a" : "b";
      battle.run(`b${i}`, 1 + (i % PROMPTS), a, b, `voter-${i % 5000}`, i, winner, i);
    }
  })();
  recomputeTallies(db);
  sqlite.pragma("wal_checkpoint(TRUNCATE)");
  sqlite.close();
  console.log(
    `built ${V} votes over ${M} models in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
}

ensureBuild({ log: true });
const port = await freePort(3380);
const server = await startServer({ port, dbFile, env: { ARENA_DEMO_DATA: "0" } });
const http = new HttpClient(server.url, { maxSockets: 4 });
try {
  const results: string[] = [];
  let ok = true;
  for (const [label, path] of [
    ["overall, bootstrap", "/api/leaderboard?category=overall"],
    ["math, bootstrap", "/api/leaderboard?category=math"],
    ["overall, sandwich", "/api/leaderboard?category=overall&ci=sandwich"],
  ] as const) {
    const c0 = performance.now();
    const first = await http.request("GET", path, { timeoutMs: 120_000 });
    const cold = performance.now() - c0;
    if (first.status !== 200)
      throw new Error(`${path}: ${first.status} ${first.body.slice(0, 200)}`);
    const times: number[] = [];
    for (let i = 0; i < R; i++) {
      const t = performance.now();
      const res = await http.request("GET", path);
      times.push(performance.now() - t);
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    }
    times.sort((x, y) => x - y);
    const p50 = percentile(times, 0.5);
    ok &&= p50 <= 20;
    const rows = (JSON.parse(first.body) as { rows: unknown[] }).rows.length;
    results.push(
      `${label.padEnd(20)} first (fit) ${cold.toFixed(0).padStart(5)} ms   warm p50 ${p50.toFixed(1).padStart(5)} ms   p95 ${percentile(times, 0.95).toFixed(1).padStart(5)} ms   ${rows} rows, ${(first.body.length / 1024).toFixed(0)} KB`,
    );
  }
  console.log(
    `GET /api/leaderboard, ${V.toLocaleString("en-US")} votes, ${M} models, ${R} warm requests each:`,
  );
  for (const r of results) console.log(`  ${r}`);
  console.log(ok ? "PASS warm p50 ≤ 20 ms" : "FAIL warm p50 > 20 ms");
  process.exitCode = ok ? 0 : 1;
} finally {
  http.close();
  await server.stop();
}

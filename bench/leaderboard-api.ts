/**
 * GET /api/leaderboard with 1,000,000 votes over 100 models in the database, against the
 * production server. Target: p50 ≤ 20 ms once warm (the fit is cached until the tallies change).
 *
 *   npx tsx bench/leaderboard-api.ts [--votes 1000000] [--models 100] [--requests 300]
 */
import fs from "node:fs";
import { parseArgs } from "node:util";
import { closeDatabase, connectionOf, openDatabase } from "../db/client";
import { battles, models, promptCategories, prompts } from "../db/schema";
import { recomputeTallies } from "../lib/arena/tallies";
import {
  CACHE_DIR,
  ensureBuild,
  freePort,
  HttpClient,
  startServer,
} from "../tests/helpers/server-harness";
import { insertRows, percentile, seededRng } from "./support";

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
  const db = await openDatabase(`file:${dbFile}`);
  const rng = seededRng(3);
  const strength = Array.from({ length: M }, (_, i) => (i / M) * 3);
  await db.transaction(async (tx) => {
    await insertRows(
      tx,
      models,
      Array.from({ length: M }, (_, i) => ({
        slug: `model-${i + 1}`,
        displayName: `Model ${i + 1}`,
        organization: "Bench",
      })),
    );
    const ids = Array.from({ length: PROMPTS }, (_, i) => i + 1);
    await insertRows(
      tx,
      prompts,
      ids.map((p) => ({
        text: `Bench prompt ${p}`,
        language: "en",
        contentHash: `lb-${p}`,
        source: "bench",
      })),
    );
    await insertRows(
      tx,
      promptCategories,
      ids.flatMap((p) => [
        { promptId: p, category: "english" },
        ...(p % 4 === 0 ? [{ promptId: p, category: "math" }] : []),
      ]),
    );
    let rows: (typeof battles.$inferInsert)[] = [];
    for (let i = 0; i < V; i++) {
      const a = 1 + Math.floor(rng() * M);
      let b = 1 + Math.floor(rng() * (M - 1));
      if (b >= a) b++;
      const p = 1 / (1 + 10 ** (((strength[b - 1] ?? 0) - (strength[a - 1] ?? 0)) / 4));
      const u = rng();
      const winner = u < 0.1 ? "tie" : u < 0.15 ? "bothbad" : rng() < p ? "a" : "b";
      rows.push({
        id: `b${i}`,
        promptId: 1 + (i % PROMPTS),
        modelAId: a,
        modelBId: b,
        voterId: `voter-${i % 5000}`,
        createdAt: new Date(i),
        winner,
        votedAt: new Date(i),
        source: "live",
      });
      if (rows.length === 10_000) {
        await insertRows(tx, battles, rows);
        rows = [];
      }
    }
    await insertRows(tx, battles, rows);
  });
  await recomputeTallies(db);
  connectionOf(db).sqlite?.pragma("wal_checkpoint(TRUNCATE)");
  await closeDatabase(db);
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

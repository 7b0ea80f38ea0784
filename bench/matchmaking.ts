/**
 * Choosing a battle at scale: 100,000 prompts, 50 models, ~10 responses per prompt (1M
 * responses). Measures createBattle (matchmaking + the battle insert) per call, with votes cast
 * as it goes so the pair weighting reads real tallies. Target: p95 < 5 ms.
 *
 *   npx tsx bench/matchmaking.ts [--prompts 100000] [--models 50] [--per-prompt 10] [--battles 5000]
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { closeDatabase, connectionOf, openDatabase } from "../db/client";
import {
  battles,
  models,
  promptCategories,
  prompts,
  responses,
  tallies,
  voterSeen,
} from "../db/schema";
import { castVote, createBattle } from "../lib/arena/battles";
import { decideLeakVerdicts } from "../lib/arena/leak-verdicts";
import { insertRows, percentile, seededRng } from "./support";

const { values } = parseArgs({
  options: {
    prompts: { type: "string", default: "100000" },
    models: { type: "string", default: "50" },
    "per-prompt": { type: "string", default: "10" },
    battles: { type: "string", default: "5000" },
  },
});
const P = Number(values.prompts);
const M = Number(values.models);
const K = Number(values["per-prompt"]);
const N = Number(values.battles);

const file = path.resolve("bench/.cache", `matchmaking-${P}-${M}-${K}.db`);
const fresh = !fs.existsSync(file);
fs.mkdirSync(path.dirname(file), { recursive: true });
const db = await openDatabase(`file:${file}`);

/** Prompts written per round of inserts. */
const PROMPTS_PER_ROUND = 500;

if (fresh) {
  const t0 = performance.now();
  const rng = seededRng(1);
  await db.transaction(async (tx) => {
    await insertRows(
      tx,
      models,
      Array.from({ length: M }, (_, m) => ({ slug: `model-${m}`, displayName: `Model ${m}` })),
    );
    for (let first = 1; first <= P; first += PROMPTS_PER_ROUND) {
      const ids = Array.from(
        { length: Math.min(PROMPTS_PER_ROUND, P - first + 1) },
        (_, i) => first + i,
      );
      await insertRows(
        tx,
        prompts,
        ids.map((p) => ({
          text: `Bench prompt ${p}`,
          language: "en",
          contentHash: `hash-${p}`,
          source: "bench",
        })),
      );
      await insertRows(
        tx,
        promptCategories,
        ids.flatMap((p) => [
          { promptId: p, category: "english" },
          ...(p % 5 === 0 ? [{ promptId: p, category: "math" }] : []),
        ]),
      );
      const rows: (typeof responses.$inferInsert)[] = [];
      for (const p of ids) {
        const chosen = new Set<number>();
        while (chosen.size < K) chosen.add(1 + Math.floor(rng() * M));
        for (const m of chosen)
          rows.push({ promptId: p, modelId: m, text: `Response of model ${m} to prompt ${p}` });
      }
      await insertRows(tx, responses, rows);
    }
  });
  connectionOf(db).sqlite?.pragma("wal_checkpoint(TRUNCATE)");
  console.log(
    `built ${P} prompts × ${K} responses over ${M} models in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
}

// The rows above were written without their leak verdicts: decide them as the server's start-up
// would, so the draws below read stored ones (once per database: they stay decided).
const decided = await decideLeakVerdicts(db);
if (decided > 0) console.log(`decided ${decided} leak verdicts`);

const rng = seededRng(2);
const times: number[] = [];
const WINNERS = ["a", "b", "tie", "bothbad"] as const;
for (let i = 0; i < N + 200; i++) {
  const voterId = `bench-voter-${i % 300}-xxxxxxxxxxxx`;
  const t = performance.now();
  const battle = await createBattle(db, voterId, { rng });
  const elapsed = performance.now() - t;
  if (i >= 200) times.push(elapsed); // the first calls warm the page cache and JIT
  await castVote(db, {
    battleId: battle.id,
    voterId,
    winner: WINNERS[i % 4] ?? "a",
    ttlMs: 3_600_000,
  });
}
times.sort((a, b) => a - b);
const p95 = percentile(times, 0.95);
console.log(
  `createBattle over ${N} calls: p50 ${percentile(times, 0.5).toFixed(3)} ms, p95 ${p95.toFixed(3)} ms, p99 ${percentile(times, 0.99).toFixed(3)} ms, max ${times[times.length - 1]?.toFixed(3)} ms`,
);
console.log(p95 < 5 ? "PASS p95 < 5 ms" : "FAIL p95 >= 5 ms");
// Leave the cached database as built: drop this run's battles and tallies.
await db.delete(battles);
await db.delete(tallies);
await db.delete(voterSeen);
await closeDatabase(db);
process.exitCode = p95 < 5 ? 0 : 1;

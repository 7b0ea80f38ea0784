/**
 * Drawing a battle at LMArena's size: every model answers every prompt with a ~2 KB response,
 * 2,000 prompts, at 50 and at 250 models. Measures createBattle (the prompt probe, the pair
 * choice, the identity-leak verdict and the battle insert) in-process, with a vote after each
 * draw so the pair weighting reads moving tallies. Each size runs three times; the medians of
 * the three runs' p50/p95/p99 are reported. Target: p95 ≤ 5 ms at both sizes. The CPU time
 * of each draw is reported beside its wall time: on a shared machine the wall time's tail is
 * mostly the time the process waited for a core.
 *
 *   npx tsx bench/draw.ts [--models 50,250] [--prompts 2000] [--draws 2000] [--runs 3]
 *
 * The databases are built once under bench/.cache (250 models: ~1 GB); a build stores the
 * responses with plain SQL, as an older database would hold them, so the leak verdicts are
 * then decided by the same step that backfills them after the migration (timed on its own).
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
    models: { type: "string", default: "50,250" },
    prompts: { type: "string", default: "2000" },
    draws: { type: "string", default: "2000" },
    runs: { type: "string", default: "3" },
  },
});
const SIZES = values.models.split(",").map(Number);
const P = Number(values.prompts);
const N = Number(values.draws);
const RUNS = Number(values.runs);
const WARMUP = 200;

const WORDS =
  "the a of to and in that is for it as with on be this by are or an from at which can but not have has more one all their will also if each when there these how than into other time two may only some its would could first use used data such many most well like make way between both over example value system function result number point set case state form order model answer".split(
    " ",
  );

/** Slug, display name and organization of model `m`, about as long as LMArena's. */
function modelNames(m: number): [string, string, string] {
  const maker = `vendor${m % 40}`;
  return [
    `${maker}-chat-large-v${m}-2024-instruct`,
    `${maker} Chat Large v${m} Instruct`,
    `${maker} Labs`,
  ];
}

/** ~2 KB of prose; one response in fifty names its model, as real answers sometimes do. */
function responseText(rng: () => number, model: number): string {
  const words: string[] = [];
  let length = 0;
  while (length < 2000) {
    const w = WORDS[Math.floor(rng() * WORDS.length)] as string;
    words.push(w);
    length += w.length + 1;
  }
  if (rng() < 0.02)
    words.splice(40, 0, `As ${modelNames(model)[1]}, made by ${modelNames(model)[2]}.`);
  return words.join(" ");
}

/** Prompts written per round of inserts: their responses are a few MB. */
const PROMPTS_PER_ROUND = 20;

async function build(file: string, M: number): Promise<void> {
  const t0 = performance.now();
  const db = await openDatabase(`file:${file}`);
  const rng = seededRng(1);
  // A pool of texts, each made unique by its suffix: generating 1 GB of prose would dominate the build.
  const pool = Array.from({ length: 997 }, (_, i) => responseText(rng, i % M));
  await db.transaction(async (tx) => {
    // Names as long as real ones ("claude-3-5-sonnet-20241022"): the word list's size is what
    // made the leak regex slow past ~200 models.
    await insertRows(
      tx,
      models,
      Array.from({ length: M }, (_, m) => {
        const [slug, displayName, organization] = modelNames(m);
        return { slug, displayName, organization };
      }),
    );
    let n = 0;
    for (let first = 1; first <= P; first += PROMPTS_PER_ROUND) {
      const ids = Array.from(
        { length: Math.min(PROMPTS_PER_ROUND, P - first + 1) },
        (_, i) => first + i,
      );
      await insertRows(
        tx,
        prompts,
        ids.map((p) => ({
          text: `Bench prompt ${p}: explain the idea in a few paragraphs.`,
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
      for (const p of ids)
        for (let m = 1; m <= M; m++)
          rows.push({ promptId: p, modelId: m, text: `${pool[n++ % pool.length]} (${p}/${m})` });
      await insertRows(tx, responses, rows);
    }
  });
  connectionOf(db).sqlite?.pragma("wal_checkpoint(TRUNCATE)");
  await closeDatabase(db);
  console.log(
    `built ${P} prompts × ${M} models (every model answers every prompt) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
}

interface Stats {
  p50: number;
  p95: number;
  p99: number;
}

interface Run {
  wall: Stats;
  cpu: Stats;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
  };
}

const show = (s: Stats) =>
  `p50 ${s.p50.toFixed(3)} ms, p95 ${s.p95.toFixed(3)} ms, p99 ${s.p99.toFixed(3)} ms`;

async function run(file: string, seed: number): Promise<Run> {
  const db = await openDatabase(`file:${file}`);
  // Decide the stored leak verdicts the migration left undecided, as the server's start-up does.
  const t = performance.now();
  const decided = await decideLeakVerdicts(db);
  if (decided > 0)
    console.log(
      `  decided ${decided} leak verdicts in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
  const rng = seededRng(seed);
  const times: number[] = [];
  const cpuTimes: number[] = [];
  const WINNERS = ["a", "b", "tie", "bothbad"] as const;
  for (let i = 0; i < N + WARMUP; i++) {
    const voterId = `bench-voter-${i % 300}-xxxxxxxxxxxx`;
    const cpu = process.cpuUsage();
    const t = performance.now();
    const battle = await createBattle(db, voterId, { rng });
    const elapsed = performance.now() - t;
    const used = process.cpuUsage(cpu);
    // The first calls warm the page cache and JIT.
    if (i >= WARMUP) {
      times.push(elapsed);
      cpuTimes.push((used.user + used.system) / 1000);
    }
    await castVote(db, {
      battleId: battle.id,
      voterId,
      winner: WINNERS[i % 4] ?? "a",
      ttlMs: 3_600_000,
    });
  }
  // Leave the cached database as built: drop this run's battles and tallies.
  await db.delete(battles);
  await db.delete(tallies);
  await db.delete(voterSeen);
  await closeDatabase(db);
  return { wall: stats(times), cpu: stats(cpuTimes) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
let pass = true;
for (const M of SIZES) {
  const file = path.resolve("bench/.cache", `draw-${M}x${P}.db`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (!fs.existsSync(file)) await build(file, M);
  const runs: Run[] = [];
  for (let r = 0; r < RUNS; r++) {
    const one = await run(file, 2 + r);
    runs.push(one);
    console.log(`  ${M} models, run ${r + 1}: wall ${show(one.wall)}; CPU ${show(one.cpu)}`);
  }
  const mid = (pick: (r: Run) => Stats): Stats => ({
    p50: median(runs.map((x) => pick(x).p50)),
    p95: median(runs.map((x) => pick(x).p95)),
    p99: median(runs.map((x) => pick(x).p99)),
  });
  const wall = mid((x) => x.wall);
  console.log(
    `draw at ${M} models × ${P} prompts (2 KB responses), ${N} draws, median of ${RUNS} runs: wall ${show(wall)}; CPU ${show(mid((x) => x.cpu))} — ${wall.p95 <= 5 ? "PASS" : "FAIL"} p95 ≤ 5 ms`,
  );
  if (wall.p95 > 5) pass = false;
}
process.exitCode = pass ? 0 : 1;

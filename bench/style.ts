/**
 * Style control speed on 1,000,000 votes over 100 models (synthetic, seeded): preparing the
 * votes (standardising the features), the style-controlled fit, and its sandwich intervals.
 * Target (issue #10): fit + sandwich ≤ 1 s. Also times bootstrap rounds, to say what
 * `--ci bootstrap` costs with style control.
 *
 *   npm run bench:style -- [--models 100] [--votes 1000000] [--repeat 3] [--rounds 5]
 *
 * Each figure is the median of `repeat` timed runs after one untimed warm-up; the cold first
 * run is printed too. CPU time (user + system of this process) is printed beside the wall
 * time: on a shared machine it is the figure that does not depend on the other processes.
 */
import { parseArgs } from "node:util";
import { bootstrapStyleControl } from "../lib/ranking/style-bootstrap";
import { fitStyleControl, styleSandwich } from "../lib/ranking/style-control";
import { prepareStyleData, STYLE_FEATURE_COUNT, type StyleVotes } from "../lib/ranking/style-data";
import { synthesizeVotes } from "./ranking-data";
import { seededRng } from "./support";

const { values } = parseArgs({
  options: {
    models: { type: "string", default: "100" },
    votes: { type: "string", default: "1000000" },
    repeat: { type: "string", default: "3" },
    rounds: { type: "string", default: "5" },
  },
});
const modelCount = Number(values.models);
const voteCount = Number(values.votes);
const repeat = Number(values.repeat);
const rounds = Number(values.rounds);

/** The plain synthetic votes plus made-up answer styles: d = (A−B)/(A+B+1) of random counts. */
function styleVotes(): StyleVotes {
  const arena = synthesizeVotes(modelCount, voteCount);
  const rng = seededRng(7);
  const differences = new Float64Array(voteCount * STYLE_FEATURE_COUNT);
  const maxima = [1500, 6, 20, 10];
  for (let v = 0; v < voteCount; v++) {
    for (let k = 0; k < STYLE_FEATURE_COUNT; k++) {
      const x = Math.floor(rng() * (maxima[k] as number));
      const y = Math.floor(rng() * (maxima[k] as number));
      differences[v * STYLE_FEATURE_COUNT + k] = (x - y) / (x + y + 1);
    }
  }
  return { a: arena.a, b: arena.b, outcome: arena.outcome, differences };
}

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)] as number;
}

const votes = styleVotes();
const run = () => {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const data = prepareStyleData(modelCount, votes);
  const t1 = performance.now();
  const fit = fitStyleControl(data);
  const t2 = performance.now();
  styleSandwich(data, { fit });
  const t3 = performance.now();
  const c = process.cpuUsage(c0);
  return {
    prepare: t1 - t0,
    fitMs: t2 - t1,
    sandwich: t3 - t2,
    total: t3 - t0,
    cpu: (c.user + c.system) / 1000,
    iterations: fit.iterations,
    data,
    fit,
  };
};
const cold = run();
const runs = Array.from({ length: repeat }, run);
const med = (key: "prepare" | "fitMs" | "sandwich" | "total" | "cpu") =>
  median(runs.map((r) => r[key])).toFixed(0);
console.log(
  `style control, ${voteCount.toLocaleString("en")} votes × ${modelCount} models (${cold.iterations} Newton steps):`,
);
console.log(
  `  cold: prepare ${cold.prepare.toFixed(0)} ms, fit ${cold.fitMs.toFixed(0)} ms, sandwich ${cold.sandwich.toFixed(0)} ms, total ${cold.total.toFixed(0)} ms`,
);
console.log(
  `  median of ${repeat}: prepare ${med("prepare")} ms, fit ${med("fitMs")} ms, sandwich ${med("sandwich")} ms, total ${med("total")} ms (target ≤ 1000); CPU time ${med("cpu")} ms`,
);
// bootstrap: a fixed set-up (the multinomial sampler over every vote) plus a refit per round
const cpuOf = (fn: () => void) => {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const c = process.cpuUsage(c0);
  return { wall: performance.now() - t0, cpu: (c.user + c.system) / 1000 };
};
const one = cpuOf(() => bootstrapStyleControl(cold.data, { fit: cold.fit, rounds: 1 }));
const many = cpuOf(() => bootstrapStyleControl(cold.data, { fit: cold.fit, rounds: rounds + 1 }));
const perRound = { wall: (many.wall - one.wall) / rounds, cpu: (many.cpu - one.cpu) / rounds };
const setUp = { wall: one.wall - perRound.wall, cpu: one.cpu - perRound.cpu };
console.log(
  `  bootstrap: set-up ${setUp.wall.toFixed(0)} ms (CPU ${setUp.cpu.toFixed(0)}), ${perRound.wall.toFixed(0)} ms per round (CPU ${perRound.cpu.toFixed(0)}) → 100 rounds ≈ ${((setUp.wall + 100 * perRound.wall) / 1000).toFixed(1)} s (CPU ${((setUp.cpu + 100 * perRound.cpu) / 1000).toFixed(1)} s)`,
);

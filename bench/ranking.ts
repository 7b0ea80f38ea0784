/**
 * Ranking engine speed on the tallies of 1,000,000 votes over 100 models (synthetic, seeded).
 * Targets: BT fit ≤ 20 ms, 1000 bootstrap rounds ≤ 500 ms, sandwich CIs ≤ 20 ms (reweighted
 * too: the weights, the weighted fit and its sandwich).
 *
 *   npx tsx bench/ranking.ts [--models 100] [--votes 1000000] [--repeat 5]
 *
 * Each figure is timed `repeat` times after one untimed warm-up (so V8 has compiled the hot
 * loops, as in a long-running server); the cold first call is printed too.
 */
import { parseArgs } from "node:util";
import {
  bootstrapBradleyTerry,
  fitBradleyTerry,
  pairWeights,
  sandwichIntervals,
} from "../lib/ranking/index";
import { synthesizeVotes, tally } from "./ranking-data";

const { values } = parseArgs({
  options: {
    models: { type: "string", default: "100" },
    votes: { type: "string", default: "1000000" },
    repeat: { type: "string", default: "5" },
  },
});
const modelCount = Number(values.models);
const voteCount = Number(values.votes);
const repeat = Number(values.repeat);

function time<T>(fn: () => T): [T, number] {
  const t = performance.now();
  const out = fn();
  return [out, performance.now() - t];
}

function measure(label: string, target: number, fn: () => unknown): void {
  const [, cold] = time(fn);
  const runs: number[] = [];
  for (let r = 0; r < repeat; r++) runs.push(time(fn)[1]);
  runs.sort((a, b) => a - b);
  const median = runs[Math.floor(runs.length / 2)] as number;
  const verdict = median <= target ? "ok" : "OVER";
  console.log(
    `${label.padEnd(28)} median ${median.toFixed(1).padStart(7)} ms  min ${(runs[0] as number).toFixed(1).padStart(7)} ms  cold ${cold.toFixed(1).padStart(7)} ms  target ≤ ${target} ms  ${verdict}`,
  );
}

const [arena, synthMs] = time(() => synthesizeVotes(modelCount, voteCount));
const matchups = tally(arena);
console.log(
  `${voteCount.toLocaleString("en")} votes, ${modelCount} models, ${matchups.length} ordered pairs (synthesised in ${synthMs.toFixed(0)} ms)`,
);

const fit = fitBradleyTerry(modelCount, matchups);
console.log(
  `fit: ${fit.iterations} Newton steps, gradient ${fit.gradientNorm.toExponential(2)}, converged ${fit.converged}`,
);
measure("Bradley–Terry fit", 20, () => fitBradleyTerry(modelCount, matchups));
measure("sandwich CIs (incl. fit)", 20, () => sandwichIntervals(modelCount, matchups));
measure("sandwich CIs (given fit)", 20, () => sandwichIntervals(modelCount, matchups, { fit }));
measure("reweighted sandwich (all)", 20, () =>
  sandwichIntervals(modelCount, matchups, { weights: pairWeights(modelCount, matchups) }),
);
measure("bootstrap, 1000 rounds", 500, () =>
  bootstrapBradleyTerry(modelCount, matchups, { fit, rounds: 1000 }),
);

const boot = bootstrapBradleyTerry(modelCount, matchups, { fit, rounds: 1000 });
const sandwich = sandwichIntervals(modelCount, matchups, { fit });
let widthGap = 0;
for (let m = 0; m < modelCount; m++) {
  const bw = (boot.upper[m] as number) - (boot.lower[m] as number);
  const sw = (sandwich.upper[m] as number) - (sandwich.lower[m] as number);
  widthGap = Math.max(widthGap, Math.abs(bw - sw));
}
console.log(
  `bootstrap: ${boot.newtonFallbacks} Newton fallbacks, max round gradient ${boot.maxGradientNorm.toExponential(2)}; ` +
    `largest |bootstrap − sandwich| CI width: ${widthGap.toFixed(2)} points`,
);

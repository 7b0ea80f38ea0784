/**
 * Precision, recall and F1 of the math and coding rules on the hand-labelled development prompts
 * in ../shared/data (never copied into the repository). `--errors` lists the misses and false hits.
 * Run: npx tsx scripts/classifier/evaluate.ts [--errors]
 */
import { readFileSync } from "node:fs";
import { codingReasons, isCoding, isMath, mathReasons } from "@/lib/arena/categories";
import { loadDevLabels, score } from "@/lib/arena/category-eval";

const dir = new URL("../../../shared/data/", import.meta.url);
const labelled = loadDevLabels(
  readFileSync(new URL("lmsys-2023-en-battles-with-text.jsonl", dir), "utf8"),
  readFileSync(new URL("lmsys-2023-en-category-labels-dev.jsonl", dir), "utf8"),
);
const showErrors = process.argv.includes("--errors");
for (const [name, rule] of [
  ["math", isMath],
  ["coding", isCoding],
] as const) {
  const s = score(labelled, name, rule);
  console.log(
    `${name}: P ${s.precision.toFixed(3)} R ${s.recall.toFixed(3)} F1 ${s.f1.toFixed(3)} (tp ${s.tp} fp ${s.fp} fn ${s.fn}, ${s.n} sure labels)`,
  );
  if (showErrors) {
    const why = name === "math" ? mathReasons : codingReasons;
    for (const e of s.errors) {
      console.log(`  ${e.kind} #${e.idx}: ${JSON.stringify(e.text.slice(0, 160))}`);
      for (const r of why(e.text)) console.log(`      ${r.rule}: ${r.match}`);
    }
  }
}

/**
 * The math and coding rules on public benchmark questions that carry their own category labels:
 * FastChat's MT-Bench and Vicuna-bench question files (question.jsonl: {category, turns}), read
 * where they lie (not copied into the repository). A question counts as math (coding) when its
 * benchmark files it under math (coding); its turns are joined as the arena joins a prompt's turns.
 * Run: npx tsx scripts/classifier/benchmarks.ts FILE... [--errors]
 */
import { readFileSync } from "node:fs";
import { codingReasons, isCoding, isMath, mathReasons } from "@/lib/arena/categories";
import { type LabelledPrompt, score } from "@/lib/arena/category-eval";

const files = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const showErrors = process.argv.includes("--errors");
const labelled: LabelledPrompt[] = [];
for (const file of files) {
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (!line.trim()) continue;
    const q = JSON.parse(line) as { question_id: number; category: string; turns: string[] };
    labelled.push({
      idx: q.question_id,
      text: q.turns.join("\n\n"),
      math: q.category === "math",
      coding: q.category === "coding",
    });
  }
}
for (const [name, rule, why] of [
  ["math", isMath, mathReasons],
  ["coding", isCoding, codingReasons],
] as const) {
  const s = score(labelled, name, rule);
  console.log(
    `${name}: P ${s.precision.toFixed(3)} R ${s.recall.toFixed(3)} F1 ${s.f1.toFixed(3)} (tp ${s.tp} fp ${s.fp} fn ${s.fn}, ${s.n} questions)`,
  );
  if (showErrors)
    for (const e of s.errors) {
      console.log(`  ${e.kind} #${e.idx}: ${JSON.stringify(e.text.slice(0, 160))}`);
      for (const r of why(e.text)) console.log(`      ${r.rule}: ${r.match}`);
    }
}

/**
 * Scoring the prompt classifier against hand labels: the development labels in ../shared/data
 * (one JSON object a line: arena_idx, math, coding, unsure) joined by `arena_idx` to the prompts of
 * the battles-with-text file. Labels marked unsure are left out, as the data's README asks.
 */

export interface LabelledPrompt {
  idx: number;
  text: string;
  math: boolean;
  coding: boolean;
}

export function loadDevLabels(battlesJsonl: string, labelsJsonl: string): LabelledPrompt[] {
  const prompts = new Map<number, string>();
  for (const line of battlesJsonl.split("\n")) {
    if (!line.trim()) continue;
    const b = JSON.parse(line) as { arena_idx: number; prompt: string };
    prompts.set(b.arena_idx, b.prompt);
  }
  const out: LabelledPrompt[] = [];
  for (const line of labelsJsonl.split("\n")) {
    if (!line.trim()) continue;
    const l = JSON.parse(line) as {
      arena_idx: number;
      math: boolean;
      coding: boolean;
      unsure: boolean;
    };
    const text = prompts.get(l.arena_idx);
    if (l.unsure || text === undefined) continue;
    out.push({ idx: l.arena_idx, text, math: l.math, coding: l.coding });
  }
  return out;
}

export interface Score {
  n: number;
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
  errors: { kind: "miss" | "false hit"; idx: number; text: string }[];
}

export function score(
  labelled: LabelledPrompt[],
  label: "math" | "coding",
  rule: (text: string) => boolean,
): Score {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const errors: Score["errors"] = [];
  for (const p of labelled) {
    const said = rule(p.text);
    if (said && p[label]) tp++;
    else if (said) {
      fp++;
      errors.push({ kind: "false hit", idx: p.idx, text: p.text });
    } else if (p[label]) {
      fn++;
      errors.push({ kind: "miss", idx: p.idx, text: p.text });
    }
  }
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { n: labelled.length, tp, fp, fn, precision, recall, f1, errors };
}

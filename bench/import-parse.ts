/**
 * Parsing an admin import: 100,000 response rows (format `response-rows`: 10,000 prompts ×
 * 10 models, ~1.2 KB per response with markdown, code, quotes, commas, newlines and some
 * non-Latin text) as CSV and as JSONL, plus the same content as a JSON-array prompt set and
 * 100,000 battles with votes. Streams each file from disk in 64 KB chunks, as an upload arrives,
 * each case in a fresh process so one case's garbage does not slow the next.
 * Target: each well under 5 s (the whole import, database included, must stay ≤ 10 s).
 *
 *   npx tsx bench/import-parse.ts [--rows 100000] [--models 10]
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { type ImportFormat, parseImport } from "../lib/import/parse";
import { seededRng } from "./support";

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "100000" },
    models: { type: "string", default: "10" },
    /** internal: measure one case in this process */
    case: { type: "string" },
  },
});
const ROWS = Number(values.rows);
const MODELS = Number(values.models);
const PROMPTS = Math.ceil(ROWS / MODELS);
const dir = path.resolve("bench/.cache");
fs.mkdirSync(dir, { recursive: true });

const rng = seededRng(7);
const WORDS =
  'the model answer explains why a proof works, step by step; it cites "sources" and code: x = f(y) + 1. naïve café 数学 证明 итог'.split(
    " ",
  );
function words(n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(WORDS[Math.floor(rng() * WORDS.length)] as string);
  return out.join(" ");
}
function response(): string {
  return `## Answer\n\n${words(80)}\n\n- ${words(12)}\n- ${words(12)}\n\n\`\`\`python\ndef f(x):\n    return "x, y"\n\`\`\`\n\n${words(50)}`;
}
const models = Array.from({ length: MODELS }, (_, i) => `model-${i}`);
const prompts = Array.from({ length: PROMPTS }, (_, i) => `Prompt ${i}: ${words(25)}?`);

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** Writes the file once per size; later runs reuse it. */
function ensure(name: string, write: (out: fs.WriteStream) => void): Promise<string> {
  const file = path.join(dir, name);
  if (fs.existsSync(file)) return Promise.resolve(file);
  const out = fs.createWriteStream(`${file}.tmp`);
  write(out);
  out.end();
  return new Promise((resolve, reject) => {
    out.on("finish", () => {
      fs.renameSync(`${file}.tmp`, file);
      resolve(file);
    });
    out.on("error", reject);
  });
}

function* rows(): Generator<{ id: string; prompt: string; model: string; response: string }> {
  let n = 0;
  for (let p = 0; p < PROMPTS; p++) {
    for (const model of models) {
      if (n++ >= ROWS) return;
      yield { id: `p${p}`, prompt: prompts[p] as string, model, response: response() };
    }
  }
}

async function main(): Promise<void> {
  const csv = await ensure(`import-rows-${ROWS}.csv`, (out) => {
    out.write("prompt_id,prompt,model,response,tags\n");
    for (const r of rows()) {
      out.write(`${r.id},${csvCell(r.prompt)},${r.model},${csvCell(r.response)},math;proofs\n`);
    }
  });
  const jsonl = await ensure(`import-rows-${ROWS}.jsonl`, (out) => {
    for (const r of rows()) {
      out.write(
        `${JSON.stringify({ prompt_id: r.id, prompt: r.prompt, model: r.model, response: r.response, tags: ["math", "proofs"] })}\n`,
      );
    }
  });
  const promptSet = await ensure(`import-prompt-set-${ROWS}.json`, (out) => {
    out.write("[\n");
    for (let p = 0; p < PROMPTS; p++) {
      const responses = Object.fromEntries(models.map((m) => [m, response()]));
      out.write(
        `${p ? ",\n" : ""}  ${JSON.stringify({ id: `p${p}`, prompt: prompts[p], responses })}`,
      );
    }
    out.write("\n]\n");
  });
  const battles = await ensure(`import-battles-${ROWS}.jsonl`, (out) => {
    const winners = ["model_a", "model_b", "tie", "tie (bothbad)"];
    for (let i = 0; i < ROWS; i++) {
      const a = Math.floor(rng() * MODELS);
      const b = (a + 1 + Math.floor(rng() * (MODELS - 1))) % MODELS;
      out.write(
        `${JSON.stringify({
          arena_idx: i,
          model_a: models[a],
          model_b: models[b],
          winner: winners[i % 4],
          prompt: prompts[i % PROMPTS],
          response_a: response(),
          response_b: response(),
          tstamp: 1682351591 + i,
        })}\n`,
      );
    }
  });

  const cases: { label: string; file: string; format: ImportFormat; votes?: boolean }[] = [
    { label: "response rows, CSV", file: csv, format: "response-rows" },
    { label: "response rows, JSONL", file: jsonl, format: "response-rows" },
    { label: "prompt set, JSON array", file: promptSet, format: "prompt-set" },
    { label: "battles + votes, JSONL", file: battles, format: "battles", votes: true },
  ];
  if (values.case !== undefined) {
    const c = cases[Number(values.case)];
    if (c === undefined) throw new Error(`no case ${values.case}`);
    await measure(c);
    return;
  }
  console.log(`import-parse: ${ROWS.toLocaleString("en")} responses/battles, ${MODELS} models`);
  const script = fileURLToPath(import.meta.url);
  for (let i = 0; i < cases.length; i++) {
    const args = [...process.execArgv, script, "--rows", String(ROWS), "--models", String(MODELS)];
    execFileSync(process.execPath, [...args, "--case", String(i)], { stdio: "inherit" });
  }
}

async function measure(c: {
  label: string;
  file: string;
  format: ImportFormat;
  votes?: boolean;
}): Promise<void> {
  const mb = fs.statSync(c.file).size / (1024 * 1024);
  const t0 = performance.now();
  const r = await parseImport(fs.createReadStream(c.file, { highWaterMark: 64 * 1024 }), {
    votes: c.votes,
    fileName: c.file,
  });
  const s = (performance.now() - t0) / 1000;
  if (r.format !== c.format) throw new Error(`${c.label}: detected ${r.format}`);
  const responses = r.items.reduce((n, i) => n + i.responses.length, 0);
  const rss = process.resourceUsage().maxRSS / 1024;
  console.log(
    `${c.label.padEnd(24)} ${mb.toFixed(0).padStart(4)} MB  ${s.toFixed(2)} s  ` +
      `${(mb / s).toFixed(0)} MB/s  ${r.records} records → ${r.items.length} prompts, ` +
      `${responses} responses, ${r.votes.length} votes; peak RSS ${rss.toFixed(0)} MB`,
  );
}

await main();

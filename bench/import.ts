/**
 * The admin import end to end: 100,000 response rows (10,000 prompts × 10 models) streamed from
 * a CSV file, parsed, validated and written to a fresh SQLite database in short batches.
 * Target: ≤ 10 s.   npx tsx bench/import.ts [--rows 100000]
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { closeDatabase, openDatabase } from "../db/client";
import { writeImport } from "../lib/arena/imports";
import { parseImport } from "../lib/import/parse";

const { values } = parseArgs({ options: { rows: { type: "string", default: "100000" } } });
const rows = Number(values.rows);
const models = 10;
const dir = path.resolve("bench/.cache");
fs.mkdirSync(dir, { recursive: true });
const csv = path.join(dir, `import-${rows}.csv`);
if (!fs.existsSync(csv)) {
  const out = fs.createWriteStream(csv);
  out.write("prompt_id,prompt,model,response,tags\n");
  for (let i = 0; i < rows; i++) {
    const p = Math.floor(i / models);
    const text = `Response ${i} from model ${i % models}: ${"lorem ipsum dolor sit amet, ".repeat(8)}`;
    out.write(
      `q${p},"Question number ${p}: explain ""thing"" ${p}",model-${i % models},"${text}",bench\n`,
    );
  }
  await new Promise((r) => out.end(r));
}
const dbFile = path.join(dir, `import-${Date.now()}.db`);
const db = await openDatabase(`file:${dbFile}`);
const t0 = performance.now();
const parsed = await parseImport(fs.createReadStream(csv), { fileName: "rows.csv" });
const t1 = performance.now();
const summary = await writeImport(db, parsed, { source: "bench" });
const t2 = performance.now();
await closeDatabase(db);
for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) fs.rmSync(f, { force: true });
const total = (t2 - t0) / 1000;
console.log(
  `${(fs.statSync(csv).size / 1e6).toFixed(1)} MB, ${rows} response rows → ${summary.imported.prompts} prompts, ${summary.imported.responses} responses`,
);
console.log(
  `parse ${((t1 - t0) / 1000).toFixed(2)} s + write ${((t2 - t1) / 1000).toFixed(2)} s = ${total.toFixed(2)} s (target ≤ 10 s): ${total <= 10 ? "PASS" : "FAIL"}`,
);
process.exitCode = total <= 10 ? 0 : 1;

/**
 * The streamed import (import-file.ts, and the worker thread the server runs it in): a file read
 * in bounded batches gives the same rows, tallies and summary as the whole-file import, is still
 * all or nothing (a bad last line refuses it before anything is written), holds one batch at a
 * time in memory, and an import running in a worker is this process's, not an abandoned one.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import { count, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { type ArenaDb, closeDatabase } from "@/db/client";
import { first, rows } from "@/db/rows";
import { imports } from "@/db/schema";
import { type ImportBatch, ImportError, parseImport, streamImport } from "@/lib/import/parse";
import { openTestDb, testDbUrl } from "@/tests/helpers/db";
import {
  arenaWithVotes,
  battlesFile,
  importedRows,
  pendingRows,
  tableCounts,
  tallyMap,
} from "@/tests/helpers/import-fixture";
import { recoverAbandonedImports } from "./import-cleanup";
import { importFile } from "./import-file";
import { assertNoImportRunning } from "./import-runs";
import { runImportInWorker } from "./import-thread";
import { writeImport } from "./imports";
import { readTallies } from "./tallies";

const CHILD = path.resolve("tests/helpers/import-crash-child.ts");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "arena-import-file-"));
let n = 0;
const cleanup: string[] = [];
afterEach(() => {
  for (const f of cleanup.splice(0)) fs.rmSync(f, { force: true, recursive: true });
});

function tempPath(name: string): string {
  const p = path.join(dir, `${n++}-${name}`);
  cleanup.push(p, `${p}-wal`, `${p}-shm`);
  return p;
}

function writeTemp(name: string, text: string): string {
  const p = tempPath(name);
  fs.writeFileSync(p, text);
  return p;
}

/**
 * A fresh database with the fixture's arena (8 prompts, 3 models, 12 live votes), and its URL
 * for a worker thread or a child process to open: a file on SQLite (testDbUrl).
 */
async function arenaFile(): Promise<{ url: string; db: ArenaDb }> {
  const url = await testDbUrl(tempPath("arena.db"));
  return { url, db: await arenaWithVotes(openTestDb(url)) };
}

/** FastChat-shaped votes CSV: `n` rows among 6 models; `bad` replaces the winner of the last row. */
function votesCsv(rows: number, bad?: string): string {
  const lines = ["model_a,model_b,winner"];
  const winners = ["model_a", "model_b", "tie", "tie (bothbad)"];
  for (let i = 0; i < rows; i++) {
    const a = i % 6;
    const b = (a + 1 + (i % 5)) % 6;
    const winner = i === rows - 1 && bad ? bad : winners[(i * 7) % 4];
    lines.push(`m${a},m${b},${winner}`);
  }
  return `${lines.join("\n")}\n`;
}

// In the battles' id order: both databases hold the same ids (the records' keys).
const battleRows = (db: ArenaDb) =>
  rows(
    db,
    sql`select b.id, p.content_hash as prompt, ma.slug as a, mb.slug as b, b.winner, b.voted_at, b.excluded, b.identity_leak from battles b join prompts p on p.id = b.prompt_id join models ma on ma.id = b.model_a_id join models mb on mb.id = b.model_b_id where b.source = 'import' order by b.id`,
  );

/**
 * The heap still reachable now, after a full collection. heapUsed alone counts the garbage not
 * yet collected too, so it rose and fell with the collector's timing, not with what the reading
 * holds: a streamed peak taken just before a collection could exceed a whole parse measured just
 * after one. The collector is exposed here whether or not Node was started with --expose-gc.
 */
function liveHeap(): number {
  collect();
  return process.memoryUsage().heapUsed;
}
const collect: () => void =
  typeof globalThis.gc === "function"
    ? globalThis.gc
    : (() => {
        v8.setFlagsFromString("--expose-gc");
        return vm.runInNewContext("gc") as () => void;
      })();

const importCount = async (db: ArenaDb) =>
  (await first(db.select({ n: count() }).from(imports)))?.n;

describe("a file imported in batches", () => {
  it.each([
    ["battles with text", "b.jsonl", battlesFile(24), true],
    ["votes without text", "v.csv", votesCsv(50), false],
  ])("%s: the same rows, tallies and summary as parsed whole", async (_l, name, text, votes) => {
    const whole = (await arenaFile()).db;
    const parsed = await parseImport(text, { votes, fileName: name });
    const now = new Date("2026-01-01T00:00:00Z"); // the time of votes that have none
    const expected = await writeImport(whole, parsed, { source: "t", fileName: name, now });

    const streamed = (await arenaFile()).db;
    const summary = await importFile(streamed, writeTemp(name, text), {
      source: "t",
      fileName: name,
      now,
      batchRecords: 3,
      parse: { votes, fileName: name },
    });
    expect(summary).toEqual(expected);
    expect(await battleRows(streamed)).toEqual(await battleRows(whole));
    expect(await tableCounts(streamed)).toEqual(await tableCounts(whole));
    expect(tallyMap(await readTallies(streamed))).toEqual(tallyMap(await readTallies(whole)));
    expect(await pendingRows(streamed)).toBe(0);
  });

  it("refuses a file whose last line is bad before writing anything, naming the line", async () => {
    const { db } = await arenaFile();
    const before = await tableCounts(db);
    const tallies = tallyMap(await readTallies(db));
    const file = writeTemp("bad.csv", votesCsv(1_000, "model_x"));
    let batches = 0;
    const err = await importFile(db, file, {
      source: "t",
      batchRecords: 100,
      onBatch: () => {
        batches++;
      },
      parse: { fileName: "bad.csv" },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect(err).toMatchObject({ line: 1_001, field: "winner" });
    expect((err as Error).message).toMatch(/^line 1001, field "winner"/);
    // not one batch was written, not even begun: no rows, no tallies, no import recorded
    expect(batches).toBe(0);
    expect(await tableCounts(db)).toEqual(before);
    expect(tallyMap(await readTallies(db))).toEqual(tallies);
    expect(await importCount(db)).toBe(0);
  });

  it("holds one batch at a time while reading a large file", async () => {
    const rows = 200_000;
    const file = writeTemp("large.csv", votesCsv(rows));
    const read = async (onBatch: (b: ImportBatch) => void) =>
      streamImport(fs.createReadStream(file), { fileName: "large.csv" }, onBatch, {
        batchRecords: 1_000,
      });
    let largest = 0;
    let total = 0;
    let batches = 0;
    const base = liveHeap();
    let peak = 0;
    const totals = await read((b) => {
      largest = Math.max(largest, b.votes.length);
      total += b.votes.length;
      batches++;
      // what the reading holds (this batch among it), every 10th batch: a collection each time
      if (batches % 10 === 0) peak = Math.max(peak, liveHeap() - base);
    });
    expect(totals).toMatchObject({ format: "votes", records: rows });
    expect(total).toBe(rows);
    expect(largest).toBe(1_000);
    expect(batches).toBe(rows / 1_000);
    // Parsed whole, the votes stay reachable till the end; streamed, the heap holds one batch
    // and the fingerprints of the records seen, and its peak stays well under the whole's.
    const start = liveHeap();
    const all = await parseImport(fs.createReadStream(file), { fileName: "large.csv" });
    const wholeHeap = liveHeap() - start;
    expect(all.votes.length).toBe(rows);
    console.log(
      `live heap: streamed peak +${(peak / 1e6).toFixed(1)} MB, whole +${(wholeHeap / 1e6).toFixed(1)} MB`,
    );
    expect(wholeHeap).toBeGreaterThan(10e6); // 200k votes held: the yardstick measures something
    expect(peak).toBeLessThan(wholeHeap / 2);
  });
});

describe("an import in a worker thread", () => {
  it("writes through its own connection and answers with the summary", async () => {
    const { url, db } = await arenaFile();
    const text = battlesFile(24);
    const summary = await runImportInWorker({
      databaseUrl: url,
      file: writeTemp("w.jsonl", text),
      options: { source: "w", fileName: "w.jsonl", parse: { votes: true, fileName: "w.jsonl" } },
    });
    expect(summary.imported).toEqual({ prompts: 12, responses: 28, models: 1, votes: 24 });
    expect(await importedRows(db, 1)).toMatchObject({ battles: 24 });
    expect(await pendingRows(db)).toBe(0);
    await closeDatabase(db);
  });

  it("rejects a bad file with the same ImportError, line and field", async () => {
    const { url, db } = await arenaFile();
    const before = await tableCounts(db);
    const err = await runImportInWorker({
      databaseUrl: url,
      file: writeTemp("bad.csv", votesCsv(20, "nobody")),
      options: { source: "w", parse: { fileName: "bad.csv" } },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect(err).toMatchObject({ code: "invalid", line: 21, field: "winner" });
    expect(await tableCounts(db)).toEqual(before);
    await closeDatabase(db);
  });

  it("is this process's while it runs: not rolled back as abandoned, a second import refused", async () => {
    const { url, db } = await arenaFile();
    const before = await tableCounts(db);
    // a long pause between slices keeps the worker's import running while this thread looks
    const running = runImportInWorker({
      databaseUrl: url,
      file: writeTemp("slow.csv", votesCsv(40)),
      options: { source: "w", parse: { fileName: "slow.csv" } },
      sliceMs: 0,
      pauseMs: 100,
    });
    await expect
      .poll(() => first(db.select({ status: imports.status }).from(imports)), { timeout: 30_000 })
      .toEqual({ status: "running" });
    expect(await recoverAbandonedImports(db)).toBe(0);
    await expect(assertNoImportRunning(db)).rejects.toThrow(/already running/);
    const second = await runImportInWorker({
      databaseUrl: url,
      file: writeTemp("second.csv", votesCsv(5)),
      options: { source: "w2", parse: { fileName: "second.csv" } },
    }).catch((e: unknown) => e);
    expect(second).toMatchObject({ code: "import_running" });
    expect((await running).imported.votes).toBe(40);
    expect((await tableCounts(db)).battles).toBe((before.battles ?? 0) + 40);
    await closeDatabase(db);
  });
});

describe("a streamed import whose process died half-way", () => {
  it("is rolled back at the next start, and the file then imports whole", async () => {
    const { url, db: seeded } = await arenaFile();
    const before = await tableCounts(seeded);
    const tallies = tallyMap(await readTallies(seeded));
    await closeDatabase(seeded);
    const file = tempPath("crash.jsonl");
    const child = spawnSync(
      process.execPath,
      ["--import", "tsx", CHILD, url, "6", "streamed", file],
      { encoding: "utf8" },
    );
    expect(child.signal, child.stderr).toBe("SIGKILL");

    const db = await openTestDb(url);
    expect((await importedRows(db, 1)).battles).toBe(6);
    expect(await recoverAbandonedImports(db)).toBe(1);
    expect(await importedRows(db, 1)).toEqual({
      models: 0,
      prompts: 0,
      responses: 0,
      battles: 0,
    });
    expect(await tableCounts(db)).toEqual(before);
    expect(tallyMap(await readTallies(db))).toEqual(tallies);
    const summary = await importFile(db, file, {
      source: "again",
      batchRecords: 4,
      parse: { votes: true, fileName: "b.jsonl" },
    });
    expect(summary.imported).toEqual({ prompts: 12, responses: 28, models: 1, votes: 24 });
    await closeDatabase(db);
  });
});

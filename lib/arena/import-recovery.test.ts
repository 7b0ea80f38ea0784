/**
 * An import whose process died half-way: found `running` at the next start and rolled back,
 * unless its owner may still be alive; and an owner that lost its import stops writing.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type ArenaDb, openDatabase } from "@/db/client";
import { parseImport } from "@/lib/import/parse";
import { testDb } from "@/tests/helpers/db";
import {
  arenaWithVotes,
  battlesFile,
  importedRows,
  pendingRows,
  tableCounts,
  tallyMap,
} from "@/tests/helpers/import-fixture";
import { createBattle } from "./battles";
import { recoverAbandonedImports, startImportRecovery } from "./import-cleanup";
import { ImportLostError, STALE_AFTER_MS } from "./import-runs";
import { writeImport } from "./imports";
import { readTallies } from "./tallies";

const CHILD = path.resolve("tests/helpers/import-crash-child.ts");
const files: string[] = [];
afterEach(() => {
  for (const f of files.splice(0))
    for (const s of ["", "-wal", "-shm"]) fs.rmSync(f + s, { force: true });
});

function tempDbFile(): string {
  const file = path.join(
    os.tmpdir(),
    `arena-crash-${process.pid}-${files.length}-${Date.now()}.db`,
  );
  files.push(file);
  return file;
}

const importRow = (db: ArenaDb, id: number) =>
  db.$client.prepare("select status, summary from imports where id = ?").get(id) as {
    status: string;
    summary: string;
  };

async function importFile(db: ArenaDb, text = battlesFile(24)) {
  const parsed = await parseImport(text, { votes: true, fileName: "b.jsonl" });
  return writeImport(db, parsed, { source: "test", sliceMs: 0 });
}

describe("an import left running by a crashed process", () => {
  it("is invisible until, at the next start, it is rolled back", async () => {
    const file = tempDbFile();
    const seeded = arenaWithVotes(openDatabase(`file:${file}`));
    const before = tableCounts(seeded);
    const tallies = tallyMap(readTallies(seeded));
    seeded.$client.close();

    const child = spawnSync(process.execPath, ["--import", "tsx", CHILD, file, "5"], {
      encoding: "utf8",
    });
    expect(child.signal, child.stderr).toBe("SIGKILL");

    // The next start: a new process opens the database and finds the import half-written.
    const db = openDatabase(`file:${file}`);
    expect(importRow(db, 1).status).toBe("running");
    expect(importedRows(db, 1)).toMatchObject({ models: 1, prompts: 12, battles: 5 });
    expect(pendingRows(db)).toBeGreaterThan(0);
    expect(tallyMap(readTallies(db))).toEqual(tallies);
    for (let i = 0; i < 10; i++) createBattle(db, "voter-after-crash-aaaaaaaa"); // old prompts only
    const drawnNew = db.$client
      .prepare(
        "select count(*) as n from battles b join responses r on r.prompt_id = b.prompt_id and r.model_id in (b.model_a_id, b.model_b_id) where b.voter_id = 'voter-after-crash-aaaaaaaa' and r.pending = 1",
      )
      .get() as { n: number };
    expect(drawnNew.n).toBe(0);

    startImportRecovery(db); // the server's start-up step (start-up.ts)
    expect(JSON.parse(importRow(db, 1).summary).owner.pid).toBe(process.pid); // claimed at once
    await expect.poll(() => importRow(db, 1).status, { timeout: 10_000 }).toBe("failed");

    expect(importedRows(db, 1)).toEqual({ models: 0, prompts: 0, responses: 0, battles: 0 });
    const after = tableCounts(db);
    expect({ ...after, battles: (after.battles ?? 0) - 10 }).toEqual(before); // but the 10 draws above
    expect(tallyMap(readTallies(db))).toEqual(tallies);
    // and the file imports whole afterwards
    expect((await importFile(db)).imported).toEqual({
      prompts: 12,
      responses: 28,
      models: 1,
      votes: 24,
    });
    db.$client.close();
  });
});

describe("whose import is it", () => {
  function runningImport(db: ArenaDb, owner: { host: string; pid: number }, heartbeatAt: number) {
    const after = { models: 0, prompts: 0, responses: 0, battles: 0 };
    const summary = { state: "running", owner: { ...owner, token: "another" }, heartbeatAt, after };
    db.$client
      .prepare(
        "insert into imports (status, format, summary, file_name) values ('running', 'battles', ?, 'theirs.jsonl')",
      )
      .run(JSON.stringify(summary));
  }

  it.each([
    ["a live process on this host", { host: os.hostname(), pid: process.ppid }, 0, false],
    ["a process that is gone", { host: os.hostname(), pid: 2 ** 22 + 1 }, 0, true],
    ["an earlier process with our pid", { host: os.hostname(), pid: process.pid }, 0, true],
    ["another host, heard from lately", { host: "elsewhere", pid: 1 }, 0, false],
    ["another host, silent too long", { host: "elsewhere", pid: 1 }, STALE_AFTER_MS + 1, true],
  ])("%s: rolled back %s", async (_label, owner, age, rolledBack) => {
    const db = arenaWithVotes(testDb());
    runningImport(db, owner, Date.now() - age);
    expect(await recoverAbandonedImports(db)).toBe(rolledBack ? 1 : 0);
    expect(importRow(db, 1).status).toBe(rolledBack ? "failed" : "running");
    if (rolledBack) expect((await importFile(db)).imported.votes).toBe(24);
    else await expect(importFile(db)).rejects.toMatchObject({ code: "import_running" });
  });

  it("stops writing once another process has taken its import over", async () => {
    const db = arenaWithVotes(testDb());
    const parsed = await parseImport(battlesFile(24), { votes: true, fileName: "b.jsonl" });
    let battlesAtTakeover = -1;
    const takeOver = (p: { phase: string; done: number }) => {
      if (p.phase !== "votes" || p.done !== 3) return;
      const row = importRow(db, 1);
      const state = JSON.parse(row.summary);
      state.owner = { host: "elsewhere", pid: 1, token: "the-rescuer" };
      db.$client.prepare("update imports set summary = ? where id = 1").run(JSON.stringify(state));
      battlesAtTakeover = importedRows(db, 1).battles;
    };
    await expect(
      writeImport(db, parsed, { source: "test", sliceMs: 0, onBatch: takeOver }),
    ).rejects.toBeInstanceOf(ImportLostError);
    expect(importedRows(db, 1).battles).toBe(battlesAtTakeover);
    expect(importRow(db, 1).status).toBe("running"); // the rescuer's to roll back
  });
});

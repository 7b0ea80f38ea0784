/**
 * An import whose process died half-way: found `running` at the next start and rolled back,
 * unless its owner may still be alive; and an owner that lost its import stops writing.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, count, eq, or } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { type ArenaDb, closeDatabase } from "@/db/client";
import { first } from "@/db/rows";
import { battles, imports, responses } from "@/db/schema";
import { parseImport } from "@/lib/import/parse";
import { openTestDb, testDb, testDbUrl } from "@/tests/helpers/db";
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

/** A fresh database that this process and a child process both open (testDbUrl). */
function tempDbUrl(): Promise<string> {
  const file = path.join(
    os.tmpdir(),
    `arena-crash-${process.pid}-${files.length}-${Date.now()}.db`,
  );
  files.push(file);
  return testDbUrl(file);
}

const importRow = async (db: ArenaDb, id: number) => {
  const row = await first(
    db
      .select({ status: imports.status, summary: imports.summary })
      .from(imports)
      .where(eq(imports.id, id)),
  );
  if (!row) throw new Error(`no import ${id}`);
  return row as { status: string; summary: Record<string, unknown> | null };
};

async function importFile(db: ArenaDb, text = battlesFile(24)) {
  const parsed = await parseImport(text, { votes: true, fileName: "b.jsonl" });
  return writeImport(db, parsed, { source: "test", sliceMs: 0 });
}

describe("an import left running by a crashed process", () => {
  it("is invisible until, at the next start, it is rolled back", async () => {
    const url = await tempDbUrl();
    const seeded = await arenaWithVotes(openTestDb(url));
    const before = await tableCounts(seeded);
    const tallies = tallyMap(await readTallies(seeded));
    await closeDatabase(seeded);

    const child = spawnSync(process.execPath, ["--import", "tsx", CHILD, url, "5"], {
      encoding: "utf8",
    });
    expect(child.signal, child.stderr).toBe("SIGKILL");

    // The next start: a new process opens the database and finds the import half-written.
    const db = await openTestDb(url);
    expect((await importRow(db, 1)).status).toBe("running");
    expect(await importedRows(db, 1)).toMatchObject({ models: 1, prompts: 12, battles: 5 });
    expect(await pendingRows(db)).toBeGreaterThan(0);
    expect(tallyMap(await readTallies(db))).toEqual(tallies);
    for (let i = 0; i < 10; i++) await createBattle(db, "voter-after-crash-aaaaaaaa"); // old prompts only
    const drawnNew = await first(
      db
        .select({ n: count() })
        .from(battles)
        .innerJoin(
          responses,
          and(
            eq(responses.promptId, battles.promptId),
            or(eq(responses.modelId, battles.modelAId), eq(responses.modelId, battles.modelBId)),
          ),
        )
        .where(and(eq(battles.voterId, "voter-after-crash-aaaaaaaa"), eq(responses.pending, true))),
    );
    expect(drawnNew?.n).toBe(0);

    await startImportRecovery(db); // the server's start-up step (start-up.ts)
    // Claimed at once: ours while the background roll-back runs, or already rolled back (on a
    // pool of connections the roll-back can finish before this read is served).
    const claimed = await importRow(db, 1);
    if (claimed.status === "running")
      expect(claimed.summary?.owner).toMatchObject({ pid: process.pid });
    else expect(claimed.status).toBe("failed");
    await expect
      .poll(async () => (await importRow(db, 1)).status, { timeout: 10_000 })
      .toBe("failed");

    expect(await importedRows(db, 1)).toEqual({ models: 0, prompts: 0, responses: 0, battles: 0 });
    const after = await tableCounts(db);
    expect({ ...after, battles: (after.battles ?? 0) - 10 }).toEqual(before); // but the 10 draws above
    expect(tallyMap(await readTallies(db))).toEqual(tallies);
    // and the file imports whole afterwards
    expect((await importFile(db)).imported).toEqual({
      prompts: 12,
      responses: 28,
      models: 1,
      votes: 24,
    });
    await closeDatabase(db);
  });
});

describe("whose import is it", () => {
  async function runningImport(
    db: ArenaDb,
    owner: { host: string; pid: number },
    heartbeatAt: number,
  ) {
    const after = { models: 0, prompts: 0, responses: 0, battles: 0 };
    const summary = { state: "running", owner: { ...owner, token: "another" }, heartbeatAt, after };
    await db
      .insert(imports)
      .values({ status: "running", format: "battles", summary, fileName: "theirs.jsonl" });
  }

  it.each([
    ["a live process on this host", { host: os.hostname(), pid: process.ppid }, 0, false],
    ["a process that is gone", { host: os.hostname(), pid: 2 ** 22 + 1 }, 0, true],
    ["an earlier process with our pid", { host: os.hostname(), pid: process.pid }, 0, true],
    ["another host, heard from lately", { host: "elsewhere", pid: 1 }, 0, false],
    ["another host, silent too long", { host: "elsewhere", pid: 1 }, STALE_AFTER_MS + 1, true],
  ])("%s: rolled back %s", async (_label, owner, age, rolledBack) => {
    const db = await arenaWithVotes(testDb());
    await runningImport(db, owner, Date.now() - age);
    expect(await recoverAbandonedImports(db)).toBe(rolledBack ? 1 : 0);
    expect((await importRow(db, 1)).status).toBe(rolledBack ? "failed" : "running");
    if (rolledBack) expect((await importFile(db)).imported.votes).toBe(24);
    else await expect(importFile(db)).rejects.toMatchObject({ code: "import_running" });
  });

  it("stops writing once another process has taken its import over", async () => {
    const db = await arenaWithVotes(testDb());
    const parsed = await parseImport(battlesFile(24), { votes: true, fileName: "b.jsonl" });
    let battlesAtTakeover = -1;
    const takeOver = async (p: { phase: string; done: number }) => {
      if (p.phase !== "votes" || p.done !== 3) return;
      const state = { ...(await importRow(db, 1)).summary };
      state.owner = { host: "elsewhere", pid: 1, token: "the-rescuer" };
      await db.update(imports).set({ summary: state }).where(eq(imports.id, 1));
      battlesAtTakeover = (await importedRows(db, 1)).battles;
    };
    await expect(
      writeImport(db, parsed, { source: "test", sliceMs: 0, onBatch: takeOver }),
    ).rejects.toBeInstanceOf(ImportLostError);
    expect((await importedRows(db, 1)).battles).toBe(battlesAtTakeover);
    expect((await importRow(db, 1)).status).toBe("running"); // the rescuer's to roll back
  });
});

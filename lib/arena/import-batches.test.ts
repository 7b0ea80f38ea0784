/**
 * The import written in short batches while voting goes on: between any two batches nothing of
 * it is drawn or counted; a failure half-way leaves nothing; the same file twice adds nothing;
 * a dry run counts what the import then adds; one import at a time.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "@/db/client";
import { votedBattles } from "@/lib/arena/export/battles";
import { parseImport } from "@/lib/import/parse";
import { testDb } from "@/tests/helpers/db";
import {
  arenaWithVotes,
  battlesFile,
  importedRows,
  pendingRows,
  tableCounts,
  tallyMap,
  totalVotes,
} from "@/tests/helpers/import-fixture";
import { sharedDataFile } from "@/tests/helpers/shared-data";
import { castVote, createBattle } from "./battles";
import type { ImportProgress } from "./import-runs";
import { type ImportOptions, writeImport } from "./imports";
import { getLeaderboard } from "./leaderboard";
import { listModels } from "./models";
import { dashboardStats } from "./stats";
import { readTallies, recomputeTallies, talliesFromBattles } from "./tallies";

type Db = ReturnType<typeof testDb>;
const HOUR = 3_600_000;
const SETTINGS = { minVotes: 0, bootstrapRounds: 20, maxStalenessMs: 0 };
const VOTES_CSV = sharedDataFile("lmsys-2023-en-votes.csv");
const BATTLES_JSONL = sharedDataFile("lmsys-2023-en-battles-with-text.jsonl");

async function importText(
  db: Db,
  text: string,
  opts: Partial<ImportOptions> & { votes?: boolean; fileName?: string } = {},
) {
  const parsed = await parseImport(text, {
    votes: opts.votes ?? true,
    fileName: opts.fileName ?? "battles.jsonl",
  });
  // one record per batch: the most batches, the most moments to look in between
  return writeImport(db, parsed, { source: "test", sliceMs: 0, ...opts });
}

const lastImportId = (db: Db) =>
  (db.$client.prepare("select max(id) as id from imports").get() as { id: number }).id;

const files: string[] = [];
afterEach(() => {
  for (const f of files.splice(0))
    for (const s of ["", "-wal", "-shm"]) fs.rmSync(f + s, { force: true });
});

describe("an import between its batches", () => {
  it("is neither drawn nor counted anywhere, while voting and recomputes go on", async () => {
    const db = arenaWithVotes(testDb());
    const modelsBefore = listModels(db).map((m) => m.slug);
    let live = totalVotes(readTallies(db, "overall"));
    const exported = () => [...votedBattles(db)].length;
    const votesBefore = dashboardStats(db).votesTotal;
    const lastImportBefore = dashboardStats(db).lastImport;
    const phases = new Set<string>();
    let looks = 0;

    const look = (p: ImportProgress) => {
      phases.add(p.phase);
      looks++;
      // Voting goes on: every draw uses only responses that were there before the import.
      const voterId = `voter-during-${looks}-aaaaaaaaaa`;
      for (let i = 0; i < 4; i++) {
        const view = createBattle(db, voterId);
        const b = db.$client
          .prepare("select prompt_id, model_a_id, model_b_id from battles where id = ?")
          .get(view.id) as { prompt_id: number; model_a_id: number; model_b_id: number };
        for (const modelId of [b.model_a_id, b.model_b_id]) {
          const r = db.$client
            .prepare("select pending from responses where prompt_id = ? and model_id = ?")
            .get(b.prompt_id, modelId) as { pending: number };
          expect(r.pending).toBe(0);
        }
        castVote(db, { battleId: view.id, voterId, winner: "b", ttlMs: HOUR });
        live++;
      }
      // Counted: exactly the live votes, in the tallies, a recompute, the exports and the stats.
      expect(totalVotes(readTallies(db, "overall"))).toBe(live);
      expect(tallyMap(talliesFromBattles(db))).toEqual(tallyMap(readTallies(db)));
      if (looks % 5 === 0) {
        recomputeTallies(db);
        expect(totalVotes(readTallies(db, "overall"))).toBe(live);
      }
      expect(exported()).toBe(live);
      expect(dashboardStats(db).votesTotal).toBe(votesBefore + looks * 4);
      expect(dashboardStats(db).lastImport).toEqual(lastImportBefore);
      expect(listModels(db).reduce((s, m) => s + m.votes, 0)).toBe(2 * live);
      // The new model is nowhere on the leaderboard.
      expect(getLeaderboard(db, {}, SETTINGS).rows.map((r) => r.model)).not.toContain("new-x");
    };

    const summary = await importText(db, battlesFile(24), { onBatch: look });
    expect([...phases]).toEqual(["models", "prompts", "votes"]);
    expect(looks).toBeGreaterThan(24 + 24);
    // 12 new prompts × 2 responses, and new-x's answers to 4 seeded prompts
    expect(summary.imported).toEqual({ prompts: 12, responses: 28, models: 1, votes: 24 });

    // Done: all of it at once, consistent with a recompute, nothing left pending.
    expect(totalVotes(readTallies(db, "overall"))).toBe(live + 24);
    expect(tallyMap(readTallies(db))).toEqual(tallyMap(talliesFromBattles(db)));
    expect(pendingRows(db)).toBe(0);
    expect(exported()).toBe(live + 24);
    expect(
      listModels(db)
        .map((m) => m.slug)
        .sort(),
    ).toEqual([...modelsBefore, "new-x"].sort());
    expect(getLeaderboard(db, {}, SETTINGS).rows.map((r) => r.model)).toContain("new-x");
    expect(dashboardStats(db).lastImport).toMatchObject({
      status: "done",
      records: summary.records,
      added: summary.imported,
      skipped: summary.skipped,
    });
    const drawn = new Set<number>();
    for (let i = 0; i < 40; i++) {
      const view = createBattle(db, "voter-after-aaaaaaaaaaaaaa");
      const b = db.$client.prepare("select prompt_id from battles where id = ?").get(view.id) as {
        prompt_id: number;
      };
      drawn.add(b.prompt_id);
    }
    expect(drawn.size).toBe(8 + 12); // the new prompts are drawn now
  });
});

describe("an import that fails half-way", () => {
  it.each([
    ["responses", "prompts"],
    ["battles", "votes"],
  ])("leaves nothing behind when writing %s fails (in its %s phase)", async (table, phase) => {
    const db = arenaWithVotes(testDb());
    const before = tableCounts(db);
    const tallies = tallyMap(readTallies(db));
    const failMidway = (p: ImportProgress) => {
      // a real database error, five batches into the phase that writes the table
      if (p.phase === phase && p.done === 5)
        db.$client.exec(
          `create trigger boom before insert on ${table} when new.import_id is not null begin select raise(abort, 'disk on fire'); end`,
        );
    };
    await expect(importText(db, battlesFile(24), { onBatch: failMidway })).rejects.toThrow(
      "disk on fire",
    );
    db.$client.exec("drop trigger boom");
    const id = lastImportId(db);
    expect(importedRows(db, id)).toEqual({ models: 0, prompts: 0, responses: 0, battles: 0 });
    expect(tableCounts(db)).toEqual(before);
    expect(tallyMap(readTallies(db))).toEqual(tallies);
    expect(db.$client.prepare("select status, summary from imports where id = ?").get(id)).toEqual({
      status: "failed",
      summary: JSON.stringify({ error: "disk on fire" }),
    });
    // and nothing stands in the way of importing the file again
    const again = await importText(db, battlesFile(24));
    expect(again.imported).toEqual({ prompts: 12, responses: 28, models: 1, votes: 24 });
  });
});

describe("importing the same file again", () => {
  it("adds nothing, in the tallies either", async () => {
    const db = arenaWithVotes(testDb());
    const first = await importText(db, battlesFile(24));
    const counts = tableCounts(db);
    const tallies = tallyMap(readTallies(db));
    const second = await importText(db, battlesFile(24));
    expect(second.imported).toEqual({ prompts: 0, responses: 0, models: 0, votes: 0 });
    expect(second.skipped).toBe(24);
    expect(first.imported.votes).toBe(24);
    expect(tableCounts(db)).toEqual(counts);
    expect(tallyMap(readTallies(db))).toEqual(tallies);
  });
});

describe("a dry run", () => {
  async function dryThenReal(db: Db, text: string, fileName: string, votes = true) {
    const before = tableCounts(db);
    const dry = await importText(db, text, { dryRun: true, fileName, votes, sliceMs: 5 });
    expect(tableCounts(db)).toEqual(before);
    const real = await importText(db, text, { fileName, votes, sliceMs: 5 });
    expect({ ...dry, dryRun: false }).toEqual(real);
    return real;
  }

  it("counts what the import then adds, into an arena that has part of it", async () => {
    const db = arenaWithVotes(testDb());
    await importText(db, battlesFile(10));
    const real = await dryThenReal(db, battlesFile(30, 4), "more.jsonl");
    expect(real.imported.votes).toBe(24);
  });

  it("counts prompt sets with repeated prompts and models the same way", async () => {
    const db = arenaWithVotes(testDb());
    const set = [
      {
        prompt: "Prompt number 1: tell me something interesting.",
        responses: { "old-a": "x", "m-new": "y" },
      },
      { prompt: "Brand new", responses: { "old-a": "1", "old-b": "2" } },
      { prompt: "  Brand new\r\n", responses: { "old-a": "other", "m-new": "3" } },
    ]
      .map((r) => JSON.stringify(r))
      .join("\n");
    const real = await dryThenReal(db, set, "set.jsonl", false);
    expect(real.imported).toEqual({ prompts: 1, responses: 4, models: 1, votes: 0 });
  });

  it.skipIf(!VOTES_CSV.present || !BATTLES_JSONL.present)(
    "counts the real files as they are then imported",
    async () => {
      const db = arenaWithVotes(testDb());
      const votes = await dryThenReal(db, fs.readFileSync(VOTES_CSV.path, "utf8"), "votes.csv");
      expect(votes.imported.votes).toBe(25_938);
      const battles = await dryThenReal(db, fs.readFileSync(BATTLES_JSONL.path, "utf8"), "b.jsonl");
      expect(battles.imported.votes).toBe(1756);
    },
  );

  it("holds no write lock between its batches", async () => {
    const file = path.join(os.tmpdir(), `arena-dry-${process.pid}-${Date.now()}.db`);
    files.push(file);
    const db = arenaWithVotes(openDatabase(`file:${file}`));
    const other = openDatabase(`file:${file}`);
    other.$client.pragma("busy_timeout = 0");
    let writes = 0;
    await importText(db, battlesFile(8), {
      dryRun: true,
      onBatch: () => {
        other.$client
          .prepare("insert into settings (key, value) values (?, 'x')")
          .run(`k${writes++}`);
      },
    });
    expect(writes).toBeGreaterThan(8);
    other.$client.close();
    db.$client.close();
  });
});

describe("one import at a time", () => {
  it("refuses a second import, and a dry run, while one runs: 409 import_running", async () => {
    const db = arenaWithVotes(testDb());
    const refusals: unknown[] = [];
    let tried = false;
    await importText(db, battlesFile(6), {
      onBatch: async () => {
        if (tried) return;
        tried = true;
        for (const dryRun of [false, true])
          await importText(db, battlesFile(6, 100), { dryRun }).catch((e) => refusals.push(e));
      },
    });
    expect(refusals).toHaveLength(2);
    for (const e of refusals) expect(e).toMatchObject({ code: "import_running", status: 409 });
    expect(db.$client.prepare("select status from imports").all()).toEqual([{ status: "done" }]);
    // and the next one may go
    expect((await importText(db, battlesFile(6, 100))).imported.votes).toBe(6);
  });
});

/**
 * The import written in short batches while voting goes on: between any two batches nothing of
 * it is drawn or counted; a failure half-way leaves nothing; the same file twice adds nothing;
 * a dry run counts what the import then adds; one import at a time.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq, max, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { type ArenaDb, closeDatabase, connectionOf, dialect } from "@/db/client";
import { execute, first, rows } from "@/db/rows";
import { battles, imports, responses, settings } from "@/db/schema";
import { votedBattles } from "@/lib/arena/export/battles";
import { parseImport } from "@/lib/import/parse";
import { openTestDb, testDb, testDbUrl } from "@/tests/helpers/db";
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

type Db = ArenaDb;
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

const lastImportId = async (db: Db) =>
  (await first(db.select({ id: max(imports.id) }).from(imports)))?.id as number;

/**
 * A real database error on the inserts into `table` that an import makes (a trigger raising
 * 'disk on fire'), until the returned function takes it away.
 */
async function breakImportInserts(db: Db, table: string): Promise<() => Promise<void>> {
  if (dialect(db) === "sqlite") {
    await execute(
      db,
      sql.raw(
        `create trigger boom before insert on ${table} when new.import_id is not null begin select raise(abort, 'disk on fire'); end`,
      ),
    );
    return async () => {
      await execute(db, sql.raw("drop trigger boom"));
    };
  }
  await execute(
    db,
    sql.raw(
      "create function boom() returns trigger language plpgsql as $$ begin raise exception 'disk on fire'; end $$",
    ),
  );
  await execute(
    db,
    sql.raw(
      `create trigger boom before insert on ${table} for each row when (new.import_id is not null) execute function boom()`,
    ),
  );
  return async () => {
    await execute(db, sql.raw(`drop trigger boom on ${table}`));
    await execute(db, sql.raw("drop function boom()"));
  };
}

/** PostgreSQL: the other sessions on this database inside a transaction now. */
const openTransactions = (db: Db) =>
  rows<{ pid: number; state: string }>(
    db,
    sql`select pid, state from pg_stat_activity where datname = current_database() and backend_type = 'client backend' and pid <> pg_backend_pid() and xact_start is not null`,
  );

const files: string[] = [];
afterEach(() => {
  for (const f of files.splice(0))
    for (const s of ["", "-wal", "-shm"]) fs.rmSync(f + s, { force: true });
});

describe("an import between its batches", () => {
  it("is neither drawn nor counted anywhere, while voting and recomputes go on", async () => {
    const db = await arenaWithVotes(testDb());
    const modelsBefore = (await listModels(db)).map((m) => m.slug);
    let live = totalVotes(await readTallies(db, "overall"));
    const exported = async () => {
      let n = 0;
      for await (const _ of votedBattles(db)) n++;
      return n;
    };
    const votesBefore = (await dashboardStats(db)).votesTotal;
    const lastImportBefore = (await dashboardStats(db)).lastImport;
    const phases = new Set<string>();
    let looks = 0;

    const look = async (p: ImportProgress) => {
      phases.add(p.phase);
      looks++;
      // Voting goes on: every draw uses only responses that were there before the import.
      const voterId = `voter-during-${looks}-aaaaaaaaaa`;
      for (let i = 0; i < 4; i++) {
        const view = await createBattle(db, voterId);
        const b = await first(
          db
            .select({ promptId: battles.promptId, a: battles.modelAId, b: battles.modelBId })
            .from(battles)
            .where(eq(battles.id, view.id)),
        );
        if (!b) throw new Error(`no battle ${view.id}`);
        for (const modelId of [b.a, b.b]) {
          const r = await first(
            db
              .select({ pending: responses.pending })
              .from(responses)
              .where(and(eq(responses.promptId, b.promptId), eq(responses.modelId, modelId))),
          );
          expect(r?.pending).toBe(false);
        }
        await castVote(db, { battleId: view.id, voterId, winner: "b", ttlMs: HOUR });
        live++;
      }
      // Counted: exactly the live votes, in the tallies, a recompute, the exports and the stats.
      expect(totalVotes(await readTallies(db, "overall"))).toBe(live);
      expect(tallyMap(await talliesFromBattles(db))).toEqual(tallyMap(await readTallies(db)));
      if (looks % 5 === 0) {
        await recomputeTallies(db);
        expect(totalVotes(await readTallies(db, "overall"))).toBe(live);
      }
      expect(await exported()).toBe(live);
      expect((await dashboardStats(db)).votesTotal).toBe(votesBefore + looks * 4);
      expect((await dashboardStats(db)).lastImport).toEqual(lastImportBefore);
      expect((await listModels(db)).reduce((s, m) => s + m.votes, 0)).toBe(2 * live);
      // The new model is nowhere on the leaderboard.
      expect((await getLeaderboard(db, {}, SETTINGS)).rows.map((r) => r.model)).not.toContain(
        "new-x",
      );
    };

    const summary = await importText(db, battlesFile(24), { onBatch: look });
    expect([...phases]).toEqual(["models", "prompts", "votes"]);
    expect(looks).toBeGreaterThan(24 + 24);
    // 12 new prompts × 2 responses, and new-x's answers to 4 seeded prompts
    expect(summary.imported).toEqual({ prompts: 12, responses: 28, models: 1, votes: 24 });

    // Done: all of it at once, consistent with a recompute, nothing left pending.
    expect(totalVotes(await readTallies(db, "overall"))).toBe(live + 24);
    expect(tallyMap(await readTallies(db))).toEqual(tallyMap(await talliesFromBattles(db)));
    expect(await pendingRows(db)).toBe(0);
    expect(await exported()).toBe(live + 24);
    expect((await listModels(db)).map((m) => m.slug).sort()).toEqual(
      [...modelsBefore, "new-x"].sort(),
    );
    expect((await getLeaderboard(db, {}, SETTINGS)).rows.map((r) => r.model)).toContain("new-x");
    expect((await dashboardStats(db)).lastImport).toMatchObject({
      status: "done",
      records: summary.records,
      added: summary.imported,
      skipped: summary.skipped,
    });
    const drawn = new Set<number>();
    for (let i = 0; i < 40; i++) {
      const view = await createBattle(db, "voter-after-aaaaaaaaaaaaaa");
      const b = await first(
        db.select({ promptId: battles.promptId }).from(battles).where(eq(battles.id, view.id)),
      );
      drawn.add(b?.promptId as number);
    }
    expect(drawn.size).toBe(8 + 12); // the new prompts are drawn now
  });
});

describe("an import that fails half-way", () => {
  it.each([
    ["responses", "prompts"],
    ["battles", "votes"],
  ])("leaves nothing behind when writing %s fails (in its %s phase)", async (table, phase) => {
    const db = await arenaWithVotes(testDb());
    const before = await tableCounts(db);
    const tallies = tallyMap(await readTallies(db));
    let repair = async () => {};
    const failMidway = async (p: ImportProgress) => {
      // a real database error, five batches into the phase that writes the table
      if (p.phase === phase && p.done === 5) repair = await breakImportInserts(db, table);
    };
    await expect(importText(db, battlesFile(24), { onBatch: failMidway })).rejects.toThrow(
      "disk on fire",
    );
    await repair();
    const id = await lastImportId(db);
    expect(await importedRows(db, id)).toEqual({
      models: 0,
      prompts: 0,
      responses: 0,
      battles: 0,
    });
    expect(await tableCounts(db)).toEqual(before);
    expect(tallyMap(await readTallies(db))).toEqual(tallies);
    expect(
      await first(
        db
          .select({ status: imports.status, summary: imports.summary })
          .from(imports)
          .where(eq(imports.id, id)),
      ),
    ).toEqual({
      status: "failed",
      summary: { error: "disk on fire" },
    });
    // and nothing stands in the way of importing the file again
    const again = await importText(db, battlesFile(24));
    expect(again.imported).toEqual({ prompts: 12, responses: 28, models: 1, votes: 24 });
  });
});

describe("importing the same file again", () => {
  it("adds nothing, in the tallies either", async () => {
    const db = await arenaWithVotes(testDb());
    const once = await importText(db, battlesFile(24));
    const counts = await tableCounts(db);
    const tallies = tallyMap(await readTallies(db));
    const second = await importText(db, battlesFile(24));
    expect(second.imported).toEqual({ prompts: 0, responses: 0, models: 0, votes: 0 });
    expect(second.skipped).toBe(24);
    expect(once.imported.votes).toBe(24);
    expect(await tableCounts(db)).toEqual(counts);
    expect(tallyMap(await readTallies(db))).toEqual(tallies);
  });
});

describe("a dry run", () => {
  async function dryThenReal(db: Db, text: string, fileName: string, votes = true) {
    const before = await tableCounts(db);
    const dry = await importText(db, text, { dryRun: true, fileName, votes, sliceMs: 5 });
    expect(await tableCounts(db)).toEqual(before);
    const real = await importText(db, text, { fileName, votes, sliceMs: 5 });
    expect({ ...dry, dryRun: false }).toEqual(real);
    return real;
  }

  it("counts what the import then adds, into an arena that has part of it", async () => {
    const db = await arenaWithVotes(testDb());
    await importText(db, battlesFile(10));
    const real = await dryThenReal(db, battlesFile(30, 4), "more.jsonl");
    expect(real.imported.votes).toBe(24);
  });

  it("counts prompt sets with repeated prompts and models the same way", async () => {
    const db = await arenaWithVotes(testDb());
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
      const db = await arenaWithVotes(testDb());
      const votes = await dryThenReal(db, fs.readFileSync(VOTES_CSV.path, "utf8"), "votes.csv");
      expect(votes.imported.votes).toBe(25_938);
      const battles = await dryThenReal(db, fs.readFileSync(BATTLES_JSONL.path, "utf8"), "b.jsonl");
      expect(battles.imported.votes).toBe(1756);
    },
    // ~6 s on SQLite; ~100 s on PostgreSQL, where the import still writes a row per round trip
    300_000,
  );

  it("holds no write lock between its batches", async () => {
    const file = path.join(os.tmpdir(), `arena-dry-${process.pid}-${Date.now()}.db`);
    files.push(file);
    const url = await testDbUrl(file);
    const db = await arenaWithVotes(openTestDb(url));
    const other = await openTestDb(url);
    // SQLite: another connection's write fails at once while the dry run holds the file's lock.
    connectionOf(other).sqlite?.pragma("busy_timeout = 0");
    let writes = 0;
    await importText(db, battlesFile(8), {
      dryRun: true,
      onBatch: async () => {
        await other.insert(settings).values({ key: `k${writes++}`, value: "x" });
        // PostgreSQL: reads never block writes, so the insert passes whatever the dry run holds;
        // what it must not do there is keep a transaction (its snapshot, its locks) open across
        // the wait between batches: a vacuum could not clean behind it, and DDL would queue.
        if (dialect(other) === "postgres") expect(await openTransactions(other)).toEqual([]);
      },
    });
    expect(writes).toBeGreaterThan(8);
    await closeDatabase(other);
    await closeDatabase(db);
  });
});

describe("one import at a time", () => {
  it("refuses a second import, and a dry run, while one runs: 409 import_running", async () => {
    const db = await arenaWithVotes(testDb());
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
    expect(await db.select({ status: imports.status }).from(imports)).toEqual([{ status: "done" }]);
    // and the next one may go
    expect((await importText(db, battlesFile(6, 100))).imported.votes).toBe(6);
  });
});

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { type ArenaDb, closeDatabase, dialect } from "@/db/client";
import { execute, rows } from "@/db/rows";
import { addPromptItems, PLACEHOLDER_SOURCE } from "@/lib/arena/catalog";
import { openTestDb, seededRng, testDb, testDbUrl } from "@/tests/helpers/db";
import { castVote, createBattle } from "./battles";
import { classifyPrompt } from "./categories";
import { beginImport } from "./import-runs";
import { listPrompts } from "./prompts";
import { reclassifyPrompts } from "./reclassify";
import { readTallies, recomputeTallies, type TallyRow, talliesFromBattles } from "./tallies";

const HOUR = 3_600_000;
const TEXTS = [
  "Solve 2x + 4 = 8",
  "Write a bubble sort in python",
  "Tell me a story about a lighthouse keeper.",
  "Quels sont les meilleurs restaurants de Lyon pour un dîner en famille ?",
  "How many apples are left if I have 10 and eat 3?",
  "What is the capital of Australia?",
];

/** Prompts with votes, their categories then set as an older classifier would have left them. */
async function staleArena(given?: ArenaDb, copies = 1): Promise<ArenaDb> {
  const db = given ?? (await testDb());
  await addPromptItems(
    db,
    Array.from({ length: copies }, (_, k) => TEXTS.map((t) => (k ? `${t} (copy ${k})` : t)))
      .flat()
      .map((text, i) => ({
        turns: [text],
        language: "en",
        tags: i % TEXTS.length === 2 ? ["Hard Prompts"] : undefined,
        responses: ["m1", "m2", "m3"].map((m, j) => ({ model: m, text: `answer ${j} to ${i}` })),
      })),
    { source: "test" },
  );
  const rng = seededRng(5);
  for (let i = 0; i < 60; i++) {
    const voterId = `voter-${i % 4}-aaaaaaaaaaaaaaaa`;
    const { id } = await createBattle(db, voterId, { rng });
    await castVote(db, { battleId: id, voterId, winner: i % 3 ? "a" : "tie", ttlMs: HOUR });
  }
  // The old state (stored as English, as every Latin-script prompt was): no math or coding
  // anywhere, math on the story, plus an admin's own category; then the tallies rebuilt to agree with it, as they did.
  await execute(
    db,
    sql`delete from prompt_categories where category in ('math', 'coding', 'french')`,
  );
  await execute(
    db,
    sql`insert into prompt_categories (prompt_id, category) select id, 'math' from prompts where text like 'Tell me a story%'`,
  );
  await execute(
    db,
    sql`insert into prompt_categories (prompt_id, category) select id, 'geography' from prompts where text like 'What is the capital%'`,
  );
  // a stand-in for votes imported without text: the file's categories, whatever its label says
  await execute(
    db,
    sql`update prompts set source = ${PLACEHOLDER_SOURCE} where text like 'What is the capital%'`,
  );
  await execute(
    db,
    sql`insert into prompt_categories (prompt_id, category) select id, 'coding' from prompts where text like 'What is the capital%'`,
  );
  await recomputeTallies(db);
  return db;
}

const nonZero = (tallyRows: TallyRow[]) =>
  tallyRows
    .filter((r) => r.winsA + r.winsB + r.ties + r.bothBad > 0)
    .map((r) => JSON.stringify(r))
    .sort();

async function categoriesByText(db: ArenaDb): Promise<Record<string, string[]>> {
  const { rows: list } = await listPrompts(db, { pageSize: 100 });
  return Object.fromEntries(list.map((p) => [p.text, p.categories]));
}

describe("reclassifyPrompts", () => {
  it("redoes the classifier's categories, keeps tags and an admin's, and moves the votes", async () => {
    const db = await staleArena();
    const stale = await categoriesByText(db);
    expect(stale["Solve 2x + 4 = 8"]).toEqual(["english"]);
    const summary = await reclassifyPrompts(db, { batchSize: 4 });
    expect(summary.prompts).toBe(TEXTS.length - 1);
    const now = await categoriesByText(db);
    expect(now["Solve 2x + 4 = 8"]).toEqual(["english", "math"]);
    expect(now["Write a bubble sort in python"]).toEqual(["coding", "english"]);
    expect(now["Tell me a story about a lighthouse keeper."]).toEqual(["english", "hard-prompts"]);
    expect(now[TEXTS[3] as string]).toEqual(["french"]);
    expect(now["What is the capital of Australia?"]).toEqual(["coding", "english", "geography"]);
    for (const text of TEXTS.slice(0, 2))
      expect(now[text]).toEqual(classifyPrompt({ turns: [text], language: "en" }));
    // the stored language follows the identification
    expect(await rows(db, sql`select language from prompts where text like 'Quels%'`)).toEqual([
      { language: "fr" },
    ]);
    expect(summary.moves.math).toEqual({ added: 2, removed: 1 });
    expect(summary.moves.french).toEqual({ added: 1, removed: 0 });
    expect(summary.votesMoved).toBeGreaterThan(0);
    // moved batch by batch, yet exactly a recount, with no rows left at zero
    const tallies = await readTallies(db);
    expect(nonZero(tallies)).toEqual(nonZero(await talliesFromBattles(db)));
    expect(tallies.length).toBe(nonZero(tallies).length);
    expect(nonZero(await readTallies(db, "math")).length).toBeGreaterThan(0);
    // and admins see why
    const { rows: listed } = await listPrompts(db, { pageSize: 100 });
    expect(listed.find((p) => p.text === "Solve 2x + 4 = 8")?.why).toEqual([
      { category: "math", reasons: "equation: 2x + 4 = 8" },
    ]);
    expect(listed.find((p) => p.text === "What is the capital of Australia?")?.why).toEqual([]);
    // a second run finds nothing to change
    const again = await reclassifyPrompts(db);
    expect(again).toMatchObject({ prompts: TEXTS.length - 1, changed: 0, votesMoved: 0 });
  });

  it("answers votes between its batches and still ends equal to a recount", async () => {
    const db = await staleArena();
    const rng = seededRng(9);
    let cast = 0;
    await reclassifyPrompts(db, {
      batchSize: 2,
      async onBatch() {
        for (let i = 0; i < 5; i++) {
          const voterId = `late-${cast++}-aaaaaaaaaaaaaaaa`;
          const { id } = await createBattle(db, voterId, { rng });
          await castVote(db, { battleId: id, voterId, winner: "b", ttlMs: HOUR });
        }
      },
    });
    expect(cast).toBe(15);
    expect(nonZero(await readTallies(db))).toEqual(nonZero(await talliesFromBattles(db)));
  });

  it("keeps the tallies a recount while votes arrive on another connection", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "arena-reclassify-"));
    const url = await testDbUrl(path.join(dir, "arena.db"));
    const db = await staleArena(await openTestDb(url), 8);
    // PostgreSQL: another pool, as another app process. SQLite: the same connection, as in the
    // server, where one process has one (two in one thread would block each other's BEGIN).
    const voters = dialect(db) === "sqlite" ? db : await openTestDb(url);
    try {
      const rng = seededRng(11);
      const votes = (async () => {
        for (let i = 0; i < 40; i++) {
          const voterId = `other-${i}-aaaaaaaaaaaaaaaa`;
          const { id } = await createBattle(voters, voterId, { rng });
          await castVote(voters, { battleId: id, voterId, winner: i % 2 ? "a" : "b", ttlMs: HOUR });
        }
      })();
      const [summary] = await Promise.all([reclassifyPrompts(db, { batchSize: 2 }), votes]);
      expect(summary.changed).toBeGreaterThan(0);
      expect(nonZero(await readTallies(db))).toEqual(nonZero(await talliesFromBattles(db)));
    } finally {
      if (voters !== db) await closeDatabase(voters);
      await closeDatabase(db);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  // PostgreSQL only: there a vote can be mid-transaction while a batch runs (SQLite has one writer).
  it.skipIf(!process.env.DATABASE_URL?.startsWith("postgres"))(
    "moves a vote that was being cast when its batch began",
    async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "arena-reclassify-"));
      const url = await testDbUrl(path.join(dir, "arena.db"));
      const db = await staleArena(await openTestDb(url));
      const voters = await openTestDb(url);
      try {
        const rng = seededRng(13);
        let battle = await createBattle(voters, "mid-aaaaaaaaaaaaaaaa", { rng });
        // on a prompt whose categories are about to change
        for (let i = 0; battle.prompt.startsWith("What is the capital"); i++)
          battle = await createBattle(voters, `mid-${i}-aaaaaaaaaaaaaaaa`, { rng });
        const voterId = (
          await rows<{ voter_id: string }>(
            voters,
            sql`select voter_id from battles where id = ${battle.id}`,
          )
        )[0]?.voter_id as string;
        let reclassified: Promise<unknown> = Promise.resolve();
        // The vote's transaction stays open while the reclassification starts, then commits.
        await voters.transaction(async (tx) => {
          await castVote(tx, { battleId: battle.id, voterId, winner: "a", ttlMs: HOUR });
          reclassified = reclassifyPrompts(db);
          await new Promise((r) => setTimeout(r, 500));
        });
        await reclassified;
        expect(nonZero(await readTallies(db))).toEqual(nonZero(await talliesFromBattles(db)));
      } finally {
        await closeDatabase(voters);
        await closeDatabase(db);
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it("is refused while an import runs, and changes nothing", async () => {
    const db = await staleArena();
    const before = await categoriesByText(db);
    await beginImport(db, { format: "battles", fileName: "big.jsonl" });
    await expect(reclassifyPrompts(db)).rejects.toThrow(
      expect.objectContaining({ code: "import_running" }),
    );
    expect(await categoriesByText(db)).toEqual(before);
  });
});

import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { ArenaDb } from "@/db/client";
import { execute, rows } from "@/db/rows";
import { battles, WINNERS, type Winner } from "@/db/schema";
import { loadDemoData, seedDemoData } from "@/lib/arena/demo-data";
import { modelId, testDb } from "@/tests/helpers/db";
import { castVote, createBattle } from "./battles";
import { addPromptItems } from "./catalog";
import { DEMO_SOURCE, demoSetCounts, hasDemoSet, removeDemoSet } from "./demo-set";
import { categoriesOf } from "./exclusions";
import { beginImport } from "./import-runs";
import { categoryMatchups } from "./leaderboard";
import { bumpTallies, readTallies, type TallyRow, talliesFromBattles } from "./tallies";

const HOUR = 3_600_000;
const REAL = ["real-alpha", "real-beta", "real-gamma"];

/**
 * The demo set, a real set, and votes on both. One demo model also answered a real prompt, and
 * the real models answered one demo prompt too (a real file that repeats a demo prompt adds its
 * responses to it), so votes cross between the two sets.
 */
async function arenaWithVotes() {
  const db = await testDb();
  await seedDemoData(db);
  const demoTurns = loadDemoData().items[0]?.turns ?? [];
  await addPromptItems(
    db,
    [
      {
        turns: demoTurns,
        responses: REAL.map((m, j) => ({ model: m, text: `Real answer ${j} to a demo prompt` })),
      },
    ],
    { source: "real.jsonl" },
  );
  // as an import writes them: tagged with its id
  await execute(
    db,
    sql`update responses set import_id = 1 where model_id in (select id from models where slug like 'real-%')`,
  );
  await addPromptItems(
    db,
    Array.from({ length: 6 }, (_, i) => ({
      turns: [`A real question, number ${i}: what is ${i} squared?`],
      language: "en",
      responses: [
        ...REAL.map((m, j) => ({ model: m, text: `Real answer ${j} to question ${i}` })),
        ...(i === 0 ? [{ model: "aurora-large", text: "A demo model's real answer" }] : []),
      ],
    })),
    { source: "real.jsonl" },
  );
  for (let i = 0; i < 200; i++) {
    const voterId = `voter-${String(i).padStart(16, "0")}`;
    const battle = await createBattle(db, voterId);
    await castVote(db, {
      battleId: battle.id,
      voterId,
      winner: WINNERS[i % 4] ?? "a",
      ttlMs: HOUR,
    });
  }
  // the crossing votes, cast by hand as a vote would: the battle and its tallies together
  const demoPrompt = await promptIdOf(db, demoTurns[0] ?? "");
  const realPrompt = await promptIdOf(db, "A real question, number 0: what is 0 squared?");
  for (const [prompt, a, b] of [
    [demoPrompt, "real-alpha", "real-beta"],
    [demoPrompt, "aurora-large", "real-gamma"],
    [realPrompt, "aurora-large", "real-alpha"],
  ] as const) {
    for (const winner of WINNERS) await vote(db, prompt, a, b, winner);
  }
  return db;
}

async function promptIdOf(db: ArenaDb, text: string): Promise<number> {
  const [row] = await rows<{ id: number }>(db, sql`select id from prompts where text = ${text}`);
  if (!row) throw new Error(`no prompt ${text.slice(0, 20)}`);
  return row.id;
}

let voteNumber = 0;
async function vote(
  db: ArenaDb,
  promptId: number,
  a: string,
  b: string,
  winner: Winner,
): Promise<void> {
  await db.transaction(async (tx) => {
    const now = new Date();
    await tx.insert(battles).values({
      id: `crossing-vote-${voteNumber++}`,
      promptId,
      modelAId: await modelId(tx, a),
      modelBId: await modelId(tx, b),
      voterId: "voter-crossing-aaaaaa",
      createdAt: now,
      winner,
      votedAt: now,
    });
    await bumpTallies(
      tx,
      (await categoriesOf(tx, [promptId])).get(promptId) ?? [],
      await modelId(tx, a),
      await modelId(tx, b),
      winner,
    );
  });
}

const key = (r: TallyRow) => `${r.category}:${r.modelAId}:${r.modelBId}`;
const nonZero = (rows: TallyRow[]) =>
  rows
    .filter((r) => r.winsA + r.winsB + r.ties + r.bothBad > 0)
    .sort((x, y) => key(x).localeCompare(key(y)));
const slugs = async (db: ArenaDb) =>
  (await rows<{ slug: string }>(db, sql`select slug from models order by slug`)).map((r) => r.slug);

describe("removing the demo set", () => {
  it("takes its prompts, votes and models, and leaves tallies equal to a recount", async () => {
    const db = await arenaWithVotes();
    const before = await demoSetCounts(db);
    expect(before.prompts).toBeGreaterThanOrEqual(40);
    const [demoPromptCount] = (await rows<{ n: number }>(
      db,
      sql`select count(*) as n from prompts where source = 'demo'`,
    )) as [{ n: number }];
    // the demo prompt a real file repeated stays, with the real answers and their votes
    expect(before.prompts).toBe(demoPromptCount.n - 1);
    const realVotes = async () =>
      (
        await rows(
          db,
          sql`select count(*) as n from battles b join models a on a.id = b.model_a_id join models m on m.id = b.model_b_id
           where a.slug like 'real-%' and m.slug like 'real-%' and b.winner is not null`,
        )
      )[0];
    const realBefore = await realVotes();
    const demoPrompt = await promptIdOf(db, loadDemoData().items[0]?.turns[0] ?? "");
    expect(before.votes).toBeGreaterThan(100);
    expect(before.models).toBe(7); // aurora-large answered a real prompt too: it stays

    expect(await removeDemoSet(db)).toEqual(before);

    expect(await hasDemoSet(db)).toBe(false);
    expect(await realVotes()).toEqual(realBefore);
    expect(
      (await rows(db, sql`select count(*) as n from responses where prompt_id = ${demoPrompt}`))[0],
    ).toEqual({ n: REAL.length });
    expect(await demoSetCounts(db)).toEqual({ prompts: 0, responses: 0, models: 0, votes: 0 });
    expect(await slugs(db)).toEqual(["aurora-large", ...REAL]);
    expect(
      (await readTallies(db)).filter((r) => r.winsA + r.winsB + r.ties + r.bothBad === 0),
    ).toEqual([]);
    expect(nonZero(await readTallies(db))).toEqual(nonZero(await talliesFromBattles(db)));
    expect((await readTallies(db)).length).toBeGreaterThan(0);
    // no demo prompt is left to draw, and the leaderboard ranks real models only
    const { slugs: ranked } = await categoryMatchups(db, "overall");
    expect(ranked.every((s) => REAL.includes(s) || s === "aurora-large")).toBe(true);
  });

  it("keeps an imported file's prompts even when its source reads demo", async () => {
    const db = await testDb();
    await seedDemoData(db);
    await addPromptItems(
      db,
      [{ turns: ["An imported prompt"], responses: [{ model: "real-alpha", text: "Hello" }] }],
      { source: DEMO_SOURCE },
    );
    await execute(db, sql`update prompts set import_id = 7 where text = 'An imported prompt'`);
    await removeDemoSet(db);
    expect(await rows(db, sql`select text from prompts`)).toEqual([{ text: "An imported prompt" }]);
    expect(await slugs(db)).toEqual(["real-alpha"]);
  });

  it("is refused while an import runs, and changes nothing", async () => {
    const db = await arenaWithVotes();
    const before = await demoSetCounts(db);
    await beginImport(db, { format: "battles", fileName: "big.jsonl" });
    await expect(removeDemoSet(db)).rejects.toThrow(
      expect.objectContaining({ code: "import_running" }),
    );
    expect(await demoSetCounts(db)).toEqual(before);
  });

  it("does nothing on an arena without the demo set", async () => {
    const db = await testDb();
    expect(await hasDemoSet(db)).toBe(false);
    expect(await removeDemoSet(db)).toEqual({ prompts: 0, responses: 0, models: 0, votes: 0 });
  });
});

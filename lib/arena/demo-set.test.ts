import { describe, expect, it } from "vitest";
import type { ArenaDb } from "@/db/client";
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
function arenaWithVotes() {
  const db = testDb();
  seedDemoData(db);
  const demoTurns = loadDemoData().items[0]?.turns ?? [];
  addPromptItems(
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
  db.$client
    .prepare(
      "update responses set import_id = 1 where model_id in (select id from models where slug like 'real-%')",
    )
    .run();
  addPromptItems(
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
    const battle = createBattle(db, voterId);
    castVote(db, { battleId: battle.id, voterId, winner: WINNERS[i % 4] ?? "a", ttlMs: HOUR });
  }
  // the crossing votes, cast by hand as a vote would: the battle and its tallies together
  const demoPrompt = promptIdOf(db, demoTurns[0] ?? "");
  const realPrompt = promptIdOf(db, "A real question, number 0: what is 0 squared?");
  for (const [prompt, a, b] of [
    [demoPrompt, "real-alpha", "real-beta"],
    [demoPrompt, "aurora-large", "real-gamma"],
    [realPrompt, "aurora-large", "real-alpha"],
  ] as const) {
    for (const winner of WINNERS) vote(db, prompt, a, b, winner);
  }
  return db;
}

function promptIdOf(db: ArenaDb, text: string): number {
  const row = db.$client.prepare("select id from prompts where text = ?").get(text) as
    | { id: number }
    | undefined;
  if (!row) throw new Error(`no prompt ${text.slice(0, 20)}`);
  return row.id;
}

let voteNumber = 0;
function vote(db: ArenaDb, promptId: number, a: string, b: string, winner: Winner): void {
  db.transaction(() => {
    const now = new Date();
    db.insert(battles)
      .values({
        id: `crossing-vote-${voteNumber++}`,
        promptId,
        modelAId: modelId(db, a),
        modelBId: modelId(db, b),
        voterId: "voter-crossing-aaaaaa",
        createdAt: now,
        winner,
        votedAt: now,
      })
      .run();
    bumpTallies(
      db,
      categoriesOf(db, [promptId]).get(promptId) ?? [],
      modelId(db, a),
      modelId(db, b),
      winner,
    );
  });
}

const key = (r: TallyRow) => `${r.category}:${r.modelAId}:${r.modelBId}`;
const nonZero = (rows: TallyRow[]) =>
  rows
    .filter((r) => r.winsA + r.winsB + r.ties + r.bothBad > 0)
    .sort((x, y) => key(x).localeCompare(key(y)));
const slugs = (db: ReturnType<typeof testDb>) =>
  (db.$client.prepare("select slug from models order by slug").all() as { slug: string }[]).map(
    (r) => r.slug,
  );

describe("removing the demo set", () => {
  it("takes its prompts, votes and models, and leaves tallies equal to a recount", () => {
    const db = arenaWithVotes();
    const before = demoSetCounts(db);
    expect(before.prompts).toBeGreaterThanOrEqual(40);
    const demoPromptCount = db.$client
      .prepare("select count(*) n from prompts where source = 'demo'")
      .get() as { n: number };
    // the demo prompt a real file repeated stays, with the real answers and their votes
    expect(before.prompts).toBe(demoPromptCount.n - 1);
    const realVotes = () =>
      db.$client
        .prepare(
          `select count(*) n from battles b join models a on a.id = b.model_a_id join models m on m.id = b.model_b_id
           where a.slug like 'real-%' and m.slug like 'real-%' and b.winner is not null`,
        )
        .get();
    const realBefore = realVotes();
    const demoPrompt = promptIdOf(db, loadDemoData().items[0]?.turns[0] ?? "");
    expect(before.votes).toBeGreaterThan(100);
    expect(before.models).toBe(7); // aurora-large answered a real prompt too: it stays

    expect(removeDemoSet(db)).toEqual(before);

    expect(hasDemoSet(db)).toBe(false);
    expect(realVotes()).toEqual(realBefore);
    expect(
      db.$client.prepare("select count(*) n from responses where prompt_id = ?").get(demoPrompt),
    ).toEqual({ n: REAL.length });
    expect(demoSetCounts(db)).toEqual({ prompts: 0, responses: 0, models: 0, votes: 0 });
    expect(slugs(db)).toEqual(["aurora-large", ...REAL]);
    expect(readTallies(db).filter((r) => r.winsA + r.winsB + r.ties + r.bothBad === 0)).toEqual([]);
    expect(nonZero(readTallies(db))).toEqual(nonZero(talliesFromBattles(db)));
    expect(readTallies(db).length).toBeGreaterThan(0);
    // no demo prompt is left to draw, and the leaderboard ranks real models only
    const { slugs: ranked } = categoryMatchups(db, "overall");
    expect(ranked.every((s) => REAL.includes(s) || s === "aurora-large")).toBe(true);
  });

  it("keeps an imported file's prompts even when its source reads demo", () => {
    const db = testDb();
    seedDemoData(db);
    addPromptItems(
      db,
      [{ turns: ["An imported prompt"], responses: [{ model: "real-alpha", text: "Hello" }] }],
      { source: DEMO_SOURCE },
    );
    db.$client.prepare("update prompts set import_id = 7 where text = 'An imported prompt'").run();
    removeDemoSet(db);
    expect(db.$client.prepare("select text from prompts").all()).toEqual([
      { text: "An imported prompt" },
    ]);
    expect(slugs(db)).toEqual(["real-alpha"]);
  });

  it("is refused while an import runs, and changes nothing", () => {
    const db = arenaWithVotes();
    const before = demoSetCounts(db);
    beginImport(db, { format: "battles", fileName: "big.jsonl" });
    expect(() => removeDemoSet(db)).toThrow(expect.objectContaining({ code: "import_running" }));
    expect(demoSetCounts(db)).toEqual(before);
  });

  it("does nothing on an arena without the demo set", () => {
    const db = testDb();
    expect(hasDemoSet(db)).toBe(false);
    expect(removeDemoSet(db)).toEqual({ prompts: 0, responses: 0, models: 0, votes: 0 });
  });
});

import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { battles, suspects } from "@/db/schema";
import { seededRng, seedPrompts, testDb } from "@/tests/helpers/db";
import { castVote, createBattle, openBattleFor } from "./battles";
import { readTallies, recomputeTallies, talliesFromBattles } from "./tallies";

const VOTER = "voter-aaaaaaaaaaaaaaaa";
const HOUR = 3_600_000;
const MODELS = ["alpha-model", "beta-model", "gamma-model"];

function setup() {
  const db = testDb();
  seedPrompts(db, 12, MODELS, {
    text: (i) => (i % 2 ? `Solve $x^2 = ${i}$ for x.` : `Write a poem about the number ${i}.`),
    tags: ["demo-tag"],
  });
  return db;
}

function sortRows<T extends { category: string; modelAId: number; modelBId: number }>(rows: T[]) {
  return [...rows].sort((x, y) =>
    `${x.category}:${x.modelAId}:${x.modelBId}`.localeCompare(
      `${y.category}:${y.modelAId}:${y.modelBId}`,
    ),
  );
}

describe("createBattle", () => {
  it("gives the prompt and two texts and nothing that names a model", () => {
    const db = setup();
    const view = createBattle(db, VOTER);
    expect(Object.keys(view).sort()).toEqual(["a", "b", "id", "prompt"]);
    expect(view.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const json = JSON.stringify(view);
    for (const m of MODELS) expect(json).not.toContain(m);
    expect(json).not.toMatch(/model_?id|displayName|organization/i);
  });

  it("reports an empty arena as arena_empty", () => {
    expect(() => createBattle(testDb(), VOTER)).toThrow(
      expect.objectContaining({ code: "arena_empty" }),
    );
  });
});

describe("openBattleFor", () => {
  it("gives a returning voter their open battle, read only, until it is voted or expires", () => {
    const db = setup();
    expect(openBattleFor(db, VOTER, HOUR)).toBeNull();
    const view = createBattle(db, VOTER, { now: new Date(Date.UTC(2026, 0, 1)) });
    const count = () => db.$client.prepare("select count(*) n from battles").get();
    expect(openBattleFor(db, VOTER, HOUR, new Date(Date.UTC(2026, 0, 1, 0, 30)))).toEqual(view);
    expect(count()).toEqual({ n: 1 });
    expect(openBattleFor(db, VOTER, HOUR, new Date(Date.UTC(2026, 0, 1, 2)))).toBeNull();
    castVote(db, {
      battleId: view.id,
      voterId: VOTER,
      winner: "a",
      ttlMs: HOUR,
      now: new Date(Date.UTC(2026, 0, 1, 0, 31)),
    });
    expect(openBattleFor(db, VOTER, HOUR, new Date(Date.UTC(2026, 0, 1, 0, 32)))).toBeNull();
  });
});

describe("castVote", () => {
  it("reveals both models after the vote", () => {
    const db = setup();
    const view = createBattle(db, VOTER);
    const result = castVote(db, { battleId: view.id, voterId: VOTER, winner: "a", ttlMs: HOUR });
    expect(MODELS).toContain(result.a.model);
    expect(MODELS).toContain(result.b.model);
    expect(result.a.model).not.toBe(result.b.model);
    expect(view.a.text).toContain(`model number ${MODELS.indexOf(result.a.model)} `);
    expect(result.a.displayName).toBeTruthy();
  });

  it("takes exactly one vote", () => {
    const db = setup();
    const { id } = createBattle(db, VOTER);
    castVote(db, { battleId: id, voterId: VOTER, winner: "tie", ttlMs: HOUR });
    expect(() => castVote(db, { battleId: id, voterId: VOTER, winner: "b", ttlMs: HOUR })).toThrow(
      expect.objectContaining({ code: "already_voted", status: 409 }),
    );
    expect(db.select().from(battles).where(eq(battles.id, id)).get()?.winner).toBe("tie");
  });

  it("hides another voter's battle and unknown ids alike", () => {
    const db = setup();
    const { id } = createBattle(db, VOTER);
    for (const [battleId, voterId] of [
      [id, "voter-bbbbbbbbbbbbbbbb"],
      ["no-such-battle-id-xxxxx", VOTER],
    ] as const) {
      expect(() => castVote(db, { battleId, voterId, winner: "a", ttlMs: HOUR })).toThrow(
        expect.objectContaining({ code: "battle_not_found", status: 404 }),
      );
    }
  });

  it("refuses a vote on an expired battle", () => {
    const db = setup();
    const created = new Date("2026-01-01T00:00:00Z");
    const { id } = createBattle(db, VOTER, { now: created });
    const late = new Date(created.getTime() + HOUR + 1);
    expect(() =>
      castVote(db, { battleId: id, voterId: VOTER, winner: "a", ttlMs: HOUR, now: late }),
    ).toThrow(expect.objectContaining({ code: "battle_expired", status: 410 }));
    const inTime = new Date(created.getTime() + HOUR);
    expect(() =>
      castVote(db, { battleId: id, voterId: VOTER, winner: "a", ttlMs: HOUR, now: inTime }),
    ).not.toThrow();
  });

  it("bumps overall and every category of the prompt", () => {
    const db = setup();
    const rng = seededRng(9);
    for (let i = 0; i < 12; i++) {
      const { id } = createBattle(db, VOTER, { rng });
      castVote(db, {
        battleId: id,
        voterId: VOTER,
        winner: (["a", "b", "tie", "bothbad"] as const)[i % 4] ?? "a",
        ttlMs: HOUR,
      });
    }
    const total = (cat: string) =>
      readTallies(db, cat).reduce((s, t) => s + t.winsA + t.winsB + t.ties + t.bothBad, 0);
    expect(total("overall")).toBe(12);
    expect(total("demo-tag")).toBe(12);
    expect(total("math")).toBe(6);
    expect(total("english")).toBe(12);
    const overall = readTallies(db, "overall");
    expect(overall.reduce((s, t) => s + t.winsA, 0)).toBe(3);
    expect(overall.reduce((s, t) => s + t.bothBad, 0)).toBe(3);
    expect(sortRows(readTallies(db))).toEqual(sortRows(talliesFromBattles(db)));
  });

  it("records an excluded voter's vote without counting it", () => {
    const db = setup();
    db.insert(suspects).values({ kind: "voter", key: VOTER, status: "excluded" }).run();
    const { id } = createBattle(db, VOTER);
    castVote(db, { battleId: id, voterId: VOTER, winner: "a", ttlMs: HOUR });
    expect(db.select().from(battles).where(eq(battles.id, id)).get()).toMatchObject({
      winner: "a",
      excluded: true,
    });
    expect(readTallies(db)).toHaveLength(0);
  });

  it("records a flagged address's vote without counting it, whoever the voter is", () => {
    const db = setup();
    db.insert(suspects).values({ kind: "address", key: "addr-1", status: "flagged" }).run();
    const { id } = createBattle(db, "fresh-voter-aaaaaaaaaaaa", {
      address: "addr-1",
      newVoter: true,
    });
    castVote(db, { battleId: id, voterId: "fresh-voter-aaaaaaaaaaaa", winner: "b", ttlMs: HOUR });
    expect(db.select().from(battles).where(eq(battles.id, id)).get()).toMatchObject({
      address: "addr-1",
      excluded: true,
    });
    expect(readTallies(db)).toHaveLength(0);
  });

  it("writes nothing when the tally update fails", () => {
    const db = setup();
    const { id } = createBattle(db, VOTER);
    db.$client.exec("DROP TABLE tallies");
    expect(() =>
      castVote(db, { battleId: id, voterId: VOTER, winner: "a", ttlMs: HOUR }),
    ).toThrow();
    expect(db.select().from(battles).where(eq(battles.id, id)).get()?.winner).toBeNull();
  });
});

describe("recomputeTallies", () => {
  it("rebuilds the same tallies from the battles", () => {
    const db = setup();
    const rng = seededRng(10);
    for (let i = 0; i < 30; i++) {
      const voterId = `voter-${i % 3}-cccccccccccccccc`;
      const { id } = createBattle(db, voterId, { rng });
      castVote(db, { battleId: id, voterId, winner: rng() < 0.5 ? "a" : "b", ttlMs: HOUR });
    }
    const before = sortRows(readTallies(db));
    recomputeTallies(db);
    expect(sortRows(readTallies(db))).toEqual(before);
    db.update(battles)
      .set({ excluded: true })
      .where(eq(battles.voterId, "voter-0-cccccccccccccccc"))
      .run();
    recomputeTallies(db);
    const total = readTallies(db, "overall").reduce((s, t) => s + t.winsA + t.winsB, 0);
    expect(total).toBe(20);
  });
});

describe("talliesVersion", () => {
  it("changes with every vote and every recompute, and not otherwise", async () => {
    const { talliesVersion } = await import("./tallies");
    const db = setup();
    const v0 = talliesVersion(db);
    const { id } = createBattle(db, VOTER);
    expect(talliesVersion(db)).toBe(v0);
    castVote(db, { battleId: id, voterId: VOTER, winner: "a", ttlMs: HOUR });
    const v1 = talliesVersion(db);
    expect(v1).toBeGreaterThan(v0);
    recomputeTallies(db);
    expect(talliesVersion(db)).toBeGreaterThan(v1);
  });
});

describe("identity leaks", () => {
  it("keeps the vote of a battle that names a model but leaves it out of the tallies", () => {
    const db = testDb();
    seedPrompts(db, 1, ["m1", "m2"], { text: () => "Who made you?" });
    db.$client
      .prepare("update responses set text = 'I am ChatGPT by OpenAI' where model_id = 1")
      .run();
    const { id } = createBattle(db, VOTER);
    const row = db.select().from(battles).where(eq(battles.id, id)).get();
    expect(row?.identityLeak).toBe(true);
    expect(row?.leakReason).toMatch(/"chatgpt", "openai" in response [AB]/);
    castVote(db, { battleId: id, voterId: VOTER, winner: "a", ttlMs: HOUR });
    expect(db.select().from(battles).where(eq(battles.id, id)).get()?.winner).toBe("a");
    expect(readTallies(db)).toHaveLength(0);
    expect(talliesFromBattles(db)).toHaveLength(0);
  });

  it("uses the deployment's extra words and the models' current names", () => {
    const db = testDb();
    seedPrompts(db, 1, ["m1", "m2"], { text: () => "Tell me about Zephyrine Pro." });
    expect(createBattle(db, VOTER).id).toBeTruthy();
    expect(db.select().from(battles).get()?.identityLeak).toBe(false);
    createBattle(db, "voter-zzzzzzzzzzzzzzzz", { identityWords: ["zephyrine"] });
    expect(
      db.select().from(battles).where(eq(battles.voterId, "voter-zzzzzzzzzzzzzzzz")).get()
        ?.identityLeak,
    ).toBe(true);
    db.$client.prepare("update models set display_name = 'Zephyrine Pro' where slug = 'm1'").run();
    createBattle(db, "voter-yyyyyyyyyyyyyyyy");
    expect(
      db.select().from(battles).where(eq(battles.voterId, "voter-yyyyyyyyyyyyyyyy")).get()
        ?.leakReason,
    ).toContain("the prompt");
  });
});

describe("open battle cap", () => {
  it("gives a voter at the cap their latest open battle instead of a new one", () => {
    const db = setup();
    const cap = { max: 3, ttlMs: HOUR };
    const t0 = Date.parse("2026-01-01T00:00:00Z");
    const ids = [0, 1, 2].map(
      (i) => createBattle(db, VOTER, { openBattleCap: cap, now: new Date(t0 + i) }).id,
    );
    expect(new Set(ids).size).toBe(3);
    const again = createBattle(db, VOTER, { openBattleCap: cap, now: new Date(t0 + 10) });
    expect(again.id).toBe(ids[2]);
    expect(again.a.text).toBeTruthy();
    castVote(db, {
      battleId: ids[2] as string,
      voterId: VOTER,
      winner: "a",
      ttlMs: HOUR,
      now: new Date(t0 + 20),
    });
    expect(ids).not.toContain(
      createBattle(db, VOTER, { openBattleCap: cap, now: new Date(t0 + 30) }).id,
    );
    // Expired battles do not count as open.
    expect(ids).not.toContain(
      createBattle(db, VOTER, { openBattleCap: cap, now: new Date(t0 + 2 * HOUR) }).id,
    );
  });
});

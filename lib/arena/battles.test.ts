import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { execute, first, rows } from "@/db/rows";
import { battles, suspects } from "@/db/schema";
import { seededRng, seedPrompts, testDb } from "@/tests/helpers/db";
import { castVote, createBattle, openBattleFor } from "./battles";
import { readTallies, recomputeTallies, talliesFromBattles } from "./tallies";

const VOTER = "voter-aaaaaaaaaaaaaaaa";
const HOUR = 3_600_000;
const MODELS = ["alpha-model", "beta-model", "gamma-model"];

async function setup() {
  const db = await testDb();
  await seedPrompts(db, 12, MODELS, {
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
  it("gives the prompt and two texts and nothing that names a model", async () => {
    const db = await setup();
    const view = await createBattle(db, VOTER);
    expect(Object.keys(view).sort()).toEqual(["a", "b", "id", "prompt"]);
    expect(view.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const json = JSON.stringify(view);
    for (const m of MODELS) expect(json).not.toContain(m);
    expect(json).not.toMatch(/model_?id|displayName|organization/i);
  });

  it("reports an empty arena as arena_empty", async () => {
    await expect(createBattle(await testDb(), VOTER)).rejects.toThrow(
      expect.objectContaining({ code: "arena_empty" }),
    );
  });
});

describe("openBattleFor", () => {
  it("gives a returning voter their open battle, read only, until it is voted or expires", async () => {
    const db = await setup();
    expect(await openBattleFor(db, VOTER, HOUR)).toBeNull();
    const view = await createBattle(db, VOTER, { now: new Date(Date.UTC(2026, 0, 1)) });
    const count = async () => (await rows(db, sql`select count(*) n from battles`))[0];
    expect(await openBattleFor(db, VOTER, HOUR, new Date(Date.UTC(2026, 0, 1, 0, 30)))).toEqual(
      view,
    );
    expect(await count()).toEqual({ n: 1 });
    expect(await openBattleFor(db, VOTER, HOUR, new Date(Date.UTC(2026, 0, 1, 2)))).toBeNull();
    await castVote(db, {
      battleId: view.id,
      voterId: VOTER,
      winner: "a",
      ttlMs: HOUR,
      now: new Date(Date.UTC(2026, 0, 1, 0, 31)),
    });
    expect(await openBattleFor(db, VOTER, HOUR, new Date(Date.UTC(2026, 0, 1, 0, 32)))).toBeNull();
  });
});

describe("castVote", () => {
  it("reveals both models after the vote", async () => {
    const db = await setup();
    const view = await createBattle(db, VOTER);
    const result = await castVote(db, {
      battleId: view.id,
      voterId: VOTER,
      winner: "a",
      ttlMs: HOUR,
    });
    expect(MODELS).toContain(result.a.model);
    expect(MODELS).toContain(result.b.model);
    expect(result.a.model).not.toBe(result.b.model);
    expect(view.a.text).toContain(`model number ${MODELS.indexOf(result.a.model)} `);
    expect(result.a.displayName).toBeTruthy();
  });

  it("takes exactly one vote", async () => {
    const db = await setup();
    const { id } = await createBattle(db, VOTER);
    await castVote(db, { battleId: id, voterId: VOTER, winner: "tie", ttlMs: HOUR });
    await expect(
      castVote(db, { battleId: id, voterId: VOTER, winner: "b", ttlMs: HOUR }),
    ).rejects.toThrow(expect.objectContaining({ code: "already_voted", status: 409 }));
    expect((await first(db.select().from(battles).where(eq(battles.id, id))))?.winner).toBe("tie");
  });

  it("hides another voter's battle and unknown ids alike", async () => {
    const db = await setup();
    const { id } = await createBattle(db, VOTER);
    for (const [battleId, voterId] of [
      [id, "voter-bbbbbbbbbbbbbbbb"],
      ["no-such-battle-id-xxxxx", VOTER],
    ] as const) {
      await expect(castVote(db, { battleId, voterId, winner: "a", ttlMs: HOUR })).rejects.toThrow(
        expect.objectContaining({ code: "battle_not_found", status: 404 }),
      );
    }
  });

  it("refuses a vote on an expired battle", async () => {
    const db = await setup();
    const created = new Date("2026-01-01T00:00:00Z");
    const { id } = await createBattle(db, VOTER, { now: created });
    const late = new Date(created.getTime() + HOUR + 1);
    await expect(
      castVote(db, { battleId: id, voterId: VOTER, winner: "a", ttlMs: HOUR, now: late }),
    ).rejects.toThrow(expect.objectContaining({ code: "battle_expired", status: 410 }));
    const inTime = new Date(created.getTime() + HOUR);
    await expect(
      castVote(db, { battleId: id, voterId: VOTER, winner: "a", ttlMs: HOUR, now: inTime }),
    ).resolves.toBeDefined();
  });

  it("bumps overall and every category of the prompt", async () => {
    const db = await setup();
    const rng = seededRng(9);
    for (let i = 0; i < 12; i++) {
      const { id } = await createBattle(db, VOTER, { rng });
      await castVote(db, {
        battleId: id,
        voterId: VOTER,
        winner: (["a", "b", "tie", "bothbad"] as const)[i % 4] ?? "a",
        ttlMs: HOUR,
      });
    }
    const total = async (cat: string) =>
      (await readTallies(db, cat)).reduce((s, t) => s + t.winsA + t.winsB + t.ties + t.bothBad, 0);
    expect(await total("overall")).toBe(12);
    expect(await total("demo-tag")).toBe(12);
    expect(await total("math")).toBe(6);
    expect(await total("english")).toBe(12);
    const overall = await readTallies(db, "overall");
    expect(overall.reduce((s, t) => s + t.winsA, 0)).toBe(3);
    expect(overall.reduce((s, t) => s + t.bothBad, 0)).toBe(3);
    expect(sortRows(await readTallies(db))).toEqual(sortRows(await talliesFromBattles(db)));
  });

  it("records an excluded voter's vote without counting it", async () => {
    const db = await setup();
    await db.insert(suspects).values({ kind: "voter", key: VOTER, status: "excluded" });
    const { id } = await createBattle(db, VOTER);
    await castVote(db, { battleId: id, voterId: VOTER, winner: "a", ttlMs: HOUR });
    expect(await first(db.select().from(battles).where(eq(battles.id, id)))).toMatchObject({
      winner: "a",
      excluded: true,
    });
    expect(await readTallies(db)).toHaveLength(0);
  });

  it("records a flagged address's vote without counting it, whoever the voter is", async () => {
    const db = await setup();
    await db.insert(suspects).values({ kind: "address", key: "addr-1", status: "flagged" });
    const { id } = await createBattle(db, "fresh-voter-aaaaaaaaaaaa", {
      address: "addr-1",
      newVoter: true,
    });
    await castVote(db, {
      battleId: id,
      voterId: "fresh-voter-aaaaaaaaaaaa",
      winner: "b",
      ttlMs: HOUR,
    });
    expect(await first(db.select().from(battles).where(eq(battles.id, id)))).toMatchObject({
      address: "addr-1",
      excluded: true,
    });
    expect(await readTallies(db)).toHaveLength(0);
  });

  it("writes nothing when the tally update fails", async () => {
    const db = await setup();
    const { id } = await createBattle(db, VOTER);
    await execute(db, sql`DROP TABLE tallies`);
    await expect(
      castVote(db, { battleId: id, voterId: VOTER, winner: "a", ttlMs: HOUR }),
    ).rejects.toThrow();
    expect((await first(db.select().from(battles).where(eq(battles.id, id))))?.winner).toBeNull();
  });
});

describe("recomputeTallies", () => {
  it("rebuilds the same tallies from the battles", async () => {
    const db = await setup();
    const rng = seededRng(10);
    for (let i = 0; i < 30; i++) {
      const voterId = `voter-${i % 3}-cccccccccccccccc`;
      const { id } = await createBattle(db, voterId, { rng });
      await castVote(db, { battleId: id, voterId, winner: rng() < 0.5 ? "a" : "b", ttlMs: HOUR });
    }
    const before = sortRows(await readTallies(db));
    await recomputeTallies(db);
    expect(sortRows(await readTallies(db))).toEqual(before);
    await db
      .update(battles)
      .set({ excluded: true })
      .where(eq(battles.voterId, "voter-0-cccccccccccccccc"));
    await recomputeTallies(db);
    const total = (await readTallies(db, "overall")).reduce((s, t) => s + t.winsA + t.winsB, 0);
    expect(total).toBe(20);
  });
});

describe("talliesVersion", () => {
  it("changes with every vote and every recompute, and not otherwise", async () => {
    const { talliesVersion } = await import("./tallies");
    const db = await setup();
    const v0 = await talliesVersion(db);
    const { id } = await createBattle(db, VOTER);
    expect(await talliesVersion(db)).toBe(v0);
    await castVote(db, { battleId: id, voterId: VOTER, winner: "a", ttlMs: HOUR });
    const v1 = await talliesVersion(db);
    expect(v1).toBeGreaterThan(v0);
    await recomputeTallies(db);
    expect(await talliesVersion(db)).toBeGreaterThan(v1);
  });
});

describe("identity leaks", () => {
  it("keeps the vote of a battle that names a model but leaves it out of the tallies", async () => {
    const db = await testDb();
    await seedPrompts(db, 1, ["m1", "m2"], { text: () => "Who made you?" });
    await execute(db, sql`update responses set text = 'I am ChatGPT by OpenAI' where model_id = 1`);
    const { id } = await createBattle(db, VOTER);
    const row = await first(db.select().from(battles).where(eq(battles.id, id)));
    expect(row?.identityLeak).toBe(true);
    expect(row?.leakReason).toMatch(/"chatgpt", "openai" in response [AB]/);
    await castVote(db, { battleId: id, voterId: VOTER, winner: "a", ttlMs: HOUR });
    expect((await first(db.select().from(battles).where(eq(battles.id, id))))?.winner).toBe("a");
    expect(await readTallies(db)).toHaveLength(0);
    expect(await talliesFromBattles(db)).toHaveLength(0);
  });

  it("uses the deployment's extra words and the models' current names", async () => {
    const db = await testDb();
    await seedPrompts(db, 1, ["m1", "m2"], { text: () => "Tell me about Zephyrine Pro." });
    expect((await createBattle(db, VOTER)).id).toBeTruthy();
    expect((await first(db.select().from(battles)))?.identityLeak).toBe(false);
    await createBattle(db, "voter-zzzzzzzzzzzzzzzz", { identityWords: ["zephyrine"] });
    expect(
      (await first(db.select().from(battles).where(eq(battles.voterId, "voter-zzzzzzzzzzzzzzzz"))))
        ?.identityLeak,
    ).toBe(true);
    await execute(db, sql`update models set display_name = 'Zephyrine Pro' where slug = 'm1'`);
    await createBattle(db, "voter-yyyyyyyyyyyyyyyy");
    expect(
      (await first(db.select().from(battles).where(eq(battles.voterId, "voter-yyyyyyyyyyyyyyyy"))))
        ?.leakReason,
    ).toContain("the prompt");
  });
});

describe("open battle cap", () => {
  it("gives a voter at the cap their latest open battle instead of a new one", async () => {
    const db = await setup();
    const cap = { max: 3, ttlMs: HOUR };
    const t0 = Date.parse("2026-01-01T00:00:00Z");
    const ids: string[] = [];
    for (const i of [0, 1, 2])
      ids.push((await createBattle(db, VOTER, { openBattleCap: cap, now: new Date(t0 + i) })).id);
    expect(new Set(ids).size).toBe(3);
    const again = await createBattle(db, VOTER, { openBattleCap: cap, now: new Date(t0 + 10) });
    expect(again.id).toBe(ids[2]);
    expect(again.a.text).toBeTruthy();
    await castVote(db, {
      battleId: ids[2] as string,
      voterId: VOTER,
      winner: "a",
      ttlMs: HOUR,
      now: new Date(t0 + 20),
    });
    expect(ids).not.toContain(
      (await createBattle(db, VOTER, { openBattleCap: cap, now: new Date(t0 + 30) })).id,
    );
    // Expired battles do not count as open.
    expect(ids).not.toContain(
      (await createBattle(db, VOTER, { openBattleCap: cap, now: new Date(t0 + 2 * HOUR) })).id,
    );
  });
});

import os from "node:os";
import path from "node:path";
import { asc, eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { type ArenaDb, closeDatabase } from "@/db/client";
import { rows } from "@/db/rows";
import { battles, models, tallies } from "@/db/schema";
import { modelId, openTestDb, seededRng, seedPrompts, testDb, testDbUrl } from "@/tests/helpers/db";
import { createBattle } from "./battles";
import { drawPair } from "./matchmaking";

const FIVE = ["m1", "m2", "m3", "m4", "m5"];

describe("drawPair", () => {
  it("returns null when there is nothing to show", async () => {
    const db = await testDb();
    expect(await drawPair(db, "voter-aaaaaaaaaaaaaaaa")).toBeNull();
    await seedPrompts(db, 3, ["solo"]);
    expect(await drawPair(db, "voter-aaaaaaaaaaaaaaaa")).toBeNull();
  });

  it("draws two different models that both answered the prompt", async () => {
    const db = await testDb();
    await seedPrompts(db, 30, FIVE, {
      answeredBy: (i) => FIVE.filter((_, j) => (i + j) % 3 !== 0),
    });
    const rng = seededRng(1);
    const answered = (
      await rows<{ k: string }>(db, sql`select prompt_id || ':' || model_id as k from responses`)
    ).map((r) => r.k);
    const has = new Set(answered);
    for (let i = 0; i < 300; i++) {
      const m = await drawPair(db, `voter-${i % 7}-aaaaaaaaaaaaaa`, rng);
      expect(m).not.toBeNull();
      if (!m) return;
      expect(m.modelAId).not.toBe(m.modelBId);
      expect(has.has(`${m.promptId}:${m.modelAId}`)).toBe(true);
      expect(has.has(`${m.promptId}:${m.modelBId}`)).toBe(true);
    }
  });

  it("never draws hidden or deprecated models", async () => {
    const db = await testDb();
    await seedPrompts(db, 20, FIVE);
    await db.update(models).set({ hidden: true }).where(eq(models.slug, "m2"));
    await db.update(models).set({ deprecated: true }).where(eq(models.slug, "m4"));
    const banned = new Set([await modelId(db, "m2"), await modelId(db, "m4")]);
    const rng = seededRng(2);
    for (let i = 0; i < 300; i++) {
      const m = await drawPair(db, "voter-bbbbbbbbbbbbbbbb", rng);
      expect(m && (banned.has(m.modelAId) || banned.has(m.modelBId))).toBe(false);
    }
  });

  it("skips prompts that have fewer than two visible models", async () => {
    const db = await testDb();
    await seedPrompts(db, 40, FIVE, { answeredBy: (i) => (i === 7 ? ["m1", "m2"] : ["m1"]) });
    const rng = seededRng(3);
    const promptIds = new Set<number>();
    for (let i = 0; i < 20; i++) {
      const m = await drawPair(db, `voter-${i}-cccccccccccccc`, rng);
      if (m) promptIds.add(m.promptId);
    }
    expect(promptIds.size).toBe(1);
  });

  it("shows a voter every prompt once before repeating any", async () => {
    const db = await testDb();
    await seedPrompts(db, 25, FIVE);
    const voter = "voter-dddddddddddddddd";
    const rng = seededRng(4);
    const cycle = async () => {
      const prompts: string[] = [];
      for (let i = 0; i < 25; i++) prompts.push((await createBattle(db, voter, { rng })).prompt);
      return prompts;
    };
    const firstCycle = await cycle();
    expect(new Set(firstCycle).size).toBe(25);
    const secondCycle = await cycle();
    expect(new Set(secondCycle).size).toBe(25);
    // Another voter's history is their own.
    const other = await createBattle(db, "voter-eeeeeeeeeeeeeeee", { rng });
    expect(firstCycle).toContain(other.prompt);
  });

  it("puts each model on both sides", async () => {
    const db = await testDb();
    await seedPrompts(db, 10, ["m1", "m2"]);
    const rng = seededRng(5);
    const left = new Set<number>();
    for (let i = 0; i < 40; i++)
      left.add((await drawPair(db, `v-${i}-ffffffffffffffff`, rng))?.modelAId ?? 0);
    expect(left.size).toBe(2);
  });

  it("favours pairs with fewer votes", async () => {
    const db = await testDb();
    await seedPrompts(db, 10, ["m1", "m2", "m3"]);
    const [a, b] = [await modelId(db, "m1"), await modelId(db, "m2")];
    await db
      .insert(tallies)
      .values({ category: "overall", modelAId: a, modelBId: b, winsA: 500, winsB: 500 });
    const rng = seededRng(6);
    let heavy = 0;
    const n = 600;
    for (let i = 0; i < n; i++) {
      const m = await drawPair(db, `voter-${i}-gggggggggggggggg`, rng);
      if (
        m &&
        new Set([m.modelAId, m.modelBId]).size === 2 &&
        [a, b].includes(m.modelAId) &&
        [a, b].includes(m.modelBId)
      )
        heavy++;
    }
    // Uniform would give a third; a deficit of 1000 votes gives almost none.
    expect(heavy / n).toBeLessThan(0.01);
  });

  it("draws each pair with probability proportional to 1/(1+deficit)², on both sides", async () => {
    const db = await testDb();
    await seedPrompts(db, 1, ["m1", "m2", "m3", "m4"]);
    const ids = new Map<string, number>();
    for (const slug of ["m1", "m2", "m3", "m4"]) ids.set(slug, await modelId(db, slug));
    const id = (slug: string) => ids.get(slug) as number;
    const votes: [string, string, number][] = [
      ["m1", "m2", 4],
      ["m1", "m3", 5],
      ["m1", "m4", 6],
      ["m2", "m3", 7],
      ["m2", "m4", 9],
      ["m3", "m4", 14],
    ];
    for (const [x, y, n] of votes)
      await db
        .insert(tallies)
        .values({ category: "overall", modelAId: id(x), modelBId: id(y), ties: n });
    const key = (a: number, b: number) => `${Math.min(a, b)}-${Math.max(a, b)}`;
    // Deficits 0, 1, 2, 3, 5, 10 above the least-voted pair.
    const weights = votes.map(([, , n]) => 1 / (1 + n - 4) ** 2);
    const total = weights.reduce((a, b) => a + b, 0);
    const rng = seededRng(21);
    const n = 8000;
    const seen = new Map<string, number>();
    let m1Left = 0;
    let m1Drawn = 0;
    // 100 draws at a time: on PostgreSQL each waits on a round trip, one after another 8000 of
    // them took minutes on a loaded machine (the draws change nothing, so their order is free).
    const drawn = [];
    for (let i = 0; i < n; i += 100)
      drawn.push(
        ...(await Promise.all(
          Array.from({ length: 100 }, () => drawPair(db, "voter-kkkkkkkkkkkkkkkk", rng)),
        )),
      );
    for (const m of drawn) {
      if (!m) throw new Error("no pair");
      const k = key(m.modelAId, m.modelBId);
      seen.set(k, (seen.get(k) ?? 0) + 1);
      if (m.modelAId === id("m1") || m.modelBId === id("m1")) m1Drawn++;
      if (m.modelAId === id("m1")) m1Left++;
    }
    votes.forEach(([x, y], i) => {
      const p = (weights[i] as number) / total;
      const observed = (seen.get(key(id(x), id(y))) ?? 0) / n;
      // Four standard errors of a binomial proportion.
      expect(Math.abs(observed - p), `${x}-${y}`).toBeLessThan(
        4 * Math.sqrt((p * (1 - p)) / n) + 1e-4,
      );
    });
    expect(Math.abs(m1Left / m1Drawn - 0.5)).toBeLessThan(0.03);
  });

  it("still draws a pair far behind all the others when random tries mostly miss it", async () => {
    const db = await testDb();
    const slugs = Array.from({ length: 40 }, (_, i) => `m${i}`);
    await seedPrompts(db, 1, slugs);
    const ids: number[] = [];
    for (const s of slugs) ids.push(await modelId(db, s));
    const rows = [];
    for (let i = 0; i < ids.length; i++)
      for (let j = i + 1; j < ids.length; j++)
        rows.push({
          category: "overall",
          modelAId: ids[i] as number,
          modelBId: ids[j] as number,
          ties: i === 0 && j === 1 ? 0 : 1000,
        });
    await db.insert(tallies).values(rows);
    const rng = seededRng(22);
    let lagging = 0;
    for (let i = 0; i < 300; i++) {
      const m = await drawPair(db, "voter-llllllllllllllll", rng);
      if (m && new Set([m.modelAId, m.modelBId, ids[0], ids[1]]).size === 2) lagging++;
    }
    // Its weight is 1 against 779 pairs at ~1e-6: nearly every draw, whether the random tries
    // found it (about 3 in 4 draws) or the exact weighing did.
    expect(lagging).toBeGreaterThanOrEqual(298);
  });

  it("keeps pair coverage even as votes accumulate", async () => {
    const { castVote } = await import("./battles");
    const db = await testDb();
    await seedPrompts(db, 60, FIVE);
    const rng = seededRng(7);
    for (let i = 0; i < 1000; i++) {
      const voterId = `voter-${i % 50}-hhhhhhhhhhhhhhhh`;
      const battle = await createBattle(db, voterId, { rng });
      await castVote(db, { battleId: battle.id, voterId, winner: "a", ttlMs: 60_000 });
    }
    const perPair = await rows<{ n: number }>(
      db,
      sql`select case when model_a_id < model_b_id then model_a_id else model_b_id end x, case when model_a_id < model_b_id then model_b_id else model_a_id end y, count(*) n from battles group by 1, 2`,
    );
    expect(perPair).toHaveLength(10);
    const counts = perPair.map((p) => p.n);
    // 100 per pair on average; independent uniform draws would spread roughly ±30.
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(12);
  });
});

describe("overall pair counts", () => {
  it("stay exact through votes here and changes made elsewhere", async () => {
    const { overallPairCounts, pairTable } = await import("./pair-counts");
    const { castVote } = await import("./battles");
    const { recomputeTallies } = await import("./tallies");
    const db = await testDb();
    await seedPrompts(db, 20, ["m1", "m2", "m3"]);
    const rng = seededRng(12);
    const truth = async () => {
      const found = await rows<{ a: number; b: number; n: number }>(
        db,
        sql`select model_a_id a, model_b_id b, wins_a + wins_b + ties + both_bad n from tallies where category = 'overall'`,
      );
      return (x: number, y: number) =>
        found
          .filter((r) => (r.a === x && r.b === y) || (r.a === y && r.b === x))
          .reduce((s, r) => s + r.n, 0);
    };
    const [a, b, c] = [await modelId(db, "m1"), await modelId(db, "m2"), await modelId(db, "m3")];
    const check = async () => {
      const cached = await overallPairCounts(db);
      const exact = await truth();
      for (const [x, y] of [
        [a, b],
        [a, c],
        [b, c],
      ] as const)
        expect(cached(x, y)).toBe(exact(x, y));
      // The least-voted pair's count, followed through the votes, is exact too.
      const table = await pairTable(db);
      const slots = Int32Array.from([a, b, c], (x) => table.slot(x));
      expect(table.fewestAmong([a, b, c].join(","), slots)).toBe(
        Math.min(exact(a, b), exact(a, c), exact(b, c)),
      );
    };
    for (let i = 0; i < 30; i++) {
      await overallPairCounts(db);
      const voterId = `v-${i}-pppppppppppppppp`;
      const battle = await createBattle(db, voterId, { rng });
      await castVote(db, { battleId: battle.id, voterId, winner: "a", ttlMs: 60_000 });
      await check();
    }
    // A change the cache did not see: excluding votes (every other battle) through a recompute.
    const drawn = await db
      .select({ id: battles.id })
      .from(battles)
      .orderBy(asc(battles.createdAt), asc(battles.id));
    await db
      .update(battles)
      .set({ excluded: true })
      .where(
        inArray(
          battles.id,
          drawn.filter((_, i) => i % 2 === 1).map((r) => r.id),
        ),
      );
    await recomputeTallies(db);
    await check();
  });

  it("catch up with votes cast through another process at most once a second", async () => {
    const { FOREIGN_VOTES_LAG_MS, overallPairCounts, pairTable } = await import("./pair-counts");
    const { castVote } = await import("./battles");
    const url = await testDbUrl(
      path.join(os.tmpdir(), `arena-pairs-${process.pid}-${Date.now()}.db`),
    );
    const here = await openTestDb(url);
    const there = await openTestDb(url); // another process's connection
    await seedPrompts(here, 5, ["m1", "m2"]);
    const [a, b] = [await modelId(here, "m1"), await modelId(here, "m2")];
    const vote = async (db: ArenaDb, i: number) => {
      const voterId = `v-${i}-ffffffffffffffff`;
      const battle = await createBattle(db, voterId, { rng: seededRng(i) });
      await castVote(db, { battleId: battle.id, voterId, winner: "a", ttlMs: 60_000 });
    };
    const t0 = Date.now();
    expect((await overallPairCounts(here))(a, b)).toBe(0);
    await vote(here, 1); // followed in place
    expect((await overallPairCounts(here))(a, b)).toBe(1);
    await vote(there, 2); // unseen here until the lag has passed
    expect((await pairTable(here, t0 + 1)).count(a, b)).toBe(1);
    expect((await pairTable(here, Date.now() + FOREIGN_VOTES_LAG_MS)).count(a, b)).toBe(2);
    await closeDatabase(there);
    await closeDatabase(here);
  });
});

import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { models, tallies } from "@/db/schema";
import { modelId, seededRng, seedPrompts, testDb } from "@/tests/helpers/db";
import { createBattle } from "./battles";
import { drawPair } from "./matchmaking";

const FIVE = ["m1", "m2", "m3", "m4", "m5"];

describe("drawPair", () => {
  it("returns null when there is nothing to show", () => {
    const db = testDb();
    expect(drawPair(db, "voter-aaaaaaaaaaaaaaaa")).toBeNull();
    seedPrompts(db, 3, ["solo"]);
    expect(drawPair(db, "voter-aaaaaaaaaaaaaaaa")).toBeNull();
  });

  it("draws two different models that both answered the prompt", () => {
    const db = testDb();
    seedPrompts(db, 30, FIVE, { answeredBy: (i) => FIVE.filter((_, j) => (i + j) % 3 !== 0) });
    const rng = seededRng(1);
    const answered = db.$client
      .prepare("select prompt_id || ':' || model_id as k from responses")
      .all()
      .map((r) => (r as { k: string }).k);
    const has = new Set(answered);
    for (let i = 0; i < 300; i++) {
      const m = drawPair(db, `voter-${i % 7}-aaaaaaaaaaaaaa`, rng);
      expect(m).not.toBeNull();
      if (!m) return;
      expect(m.modelAId).not.toBe(m.modelBId);
      expect(has.has(`${m.promptId}:${m.modelAId}`)).toBe(true);
      expect(has.has(`${m.promptId}:${m.modelBId}`)).toBe(true);
    }
  });

  it("never draws hidden or deprecated models", () => {
    const db = testDb();
    seedPrompts(db, 20, FIVE);
    db.update(models).set({ hidden: true }).where(eq(models.slug, "m2")).run();
    db.update(models).set({ deprecated: true }).where(eq(models.slug, "m4")).run();
    const banned = new Set([modelId(db, "m2"), modelId(db, "m4")]);
    const rng = seededRng(2);
    for (let i = 0; i < 300; i++) {
      const m = drawPair(db, "voter-bbbbbbbbbbbbbbbb", rng);
      expect(m && (banned.has(m.modelAId) || banned.has(m.modelBId))).toBe(false);
    }
  });

  it("skips prompts that have fewer than two visible models", () => {
    const db = testDb();
    seedPrompts(db, 40, FIVE, { answeredBy: (i) => (i === 7 ? ["m1", "m2"] : ["m1"]) });
    const rng = seededRng(3);
    const promptIds = new Set<number>();
    for (let i = 0; i < 20; i++) {
      const m = drawPair(db, `voter-${i}-cccccccccccccc`, rng);
      if (m) promptIds.add(m.promptId);
    }
    expect(promptIds.size).toBe(1);
  });

  it("shows a voter every prompt once before repeating any", () => {
    const db = testDb();
    seedPrompts(db, 25, FIVE);
    const voter = "voter-dddddddddddddddd";
    const rng = seededRng(4);
    const firstCycle = Array.from({ length: 25 }, () => createBattle(db, voter, { rng }).prompt);
    expect(new Set(firstCycle).size).toBe(25);
    const secondCycle = Array.from({ length: 25 }, () => createBattle(db, voter, { rng }).prompt);
    expect(new Set(secondCycle).size).toBe(25);
    // Another voter's history is their own.
    const other = createBattle(db, "voter-eeeeeeeeeeeeeeee", { rng });
    expect(firstCycle).toContain(other.prompt);
  });

  it("puts each model on both sides", () => {
    const db = testDb();
    seedPrompts(db, 10, ["m1", "m2"]);
    const rng = seededRng(5);
    const left = new Set<number>();
    for (let i = 0; i < 40; i++)
      left.add(drawPair(db, `v-${i}-ffffffffffffffff`, rng)?.modelAId ?? 0);
    expect(left.size).toBe(2);
  });

  it("favours pairs with fewer votes", () => {
    const db = testDb();
    seedPrompts(db, 10, ["m1", "m2", "m3"]);
    const [a, b] = [modelId(db, "m1"), modelId(db, "m2")];
    db.insert(tallies)
      .values({ category: "overall", modelAId: a, modelBId: b, winsA: 500, winsB: 500 })
      .run();
    const rng = seededRng(6);
    let heavy = 0;
    const n = 600;
    for (let i = 0; i < n; i++) {
      const m = drawPair(db, `voter-${i}-gggggggggggggggg`, rng);
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

  it("draws each pair with probability proportional to 1/(1+deficit)², on both sides", () => {
    const db = testDb();
    seedPrompts(db, 1, ["m1", "m2", "m3", "m4"]);
    const id = (slug: string) => modelId(db, slug);
    const votes: [string, string, number][] = [
      ["m1", "m2", 4],
      ["m1", "m3", 5],
      ["m1", "m4", 6],
      ["m2", "m3", 7],
      ["m2", "m4", 9],
      ["m3", "m4", 14],
    ];
    for (const [x, y, n] of votes)
      db.insert(tallies)
        .values({ category: "overall", modelAId: id(x), modelBId: id(y), ties: n })
        .run();
    const key = (a: number, b: number) => `${Math.min(a, b)}-${Math.max(a, b)}`;
    // Deficits 0, 1, 2, 3, 5, 10 above the least-voted pair.
    const weights = votes.map(([, , n]) => 1 / (1 + n - 4) ** 2);
    const total = weights.reduce((a, b) => a + b, 0);
    const rng = seededRng(21);
    const n = 8000;
    const seen = new Map<string, number>();
    let m1Left = 0;
    let m1Drawn = 0;
    for (let i = 0; i < n; i++) {
      const m = drawPair(db, "voter-kkkkkkkkkkkkkkkk", rng);
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

  it("still draws a pair far behind all the others when random tries mostly miss it", () => {
    const db = testDb();
    const slugs = Array.from({ length: 40 }, (_, i) => `m${i}`);
    seedPrompts(db, 1, slugs);
    const ids = slugs.map((s) => modelId(db, s));
    const rows = [];
    for (let i = 0; i < ids.length; i++)
      for (let j = i + 1; j < ids.length; j++)
        rows.push({
          category: "overall",
          modelAId: ids[i] as number,
          modelBId: ids[j] as number,
          ties: i === 0 && j === 1 ? 0 : 1000,
        });
    db.insert(tallies).values(rows).run();
    const rng = seededRng(22);
    let lagging = 0;
    for (let i = 0; i < 300; i++) {
      const m = drawPair(db, "voter-llllllllllllllll", rng);
      if (m && new Set([m.modelAId, m.modelBId, ids[0], ids[1]]).size === 2) lagging++;
    }
    // Its weight is 1 against 779 pairs at ~1e-6: nearly every draw, whether the random tries
    // found it (about 3 in 4 draws) or the exact weighing did.
    expect(lagging).toBeGreaterThanOrEqual(298);
  });

  it("keeps pair coverage even as votes accumulate", async () => {
    const { castVote } = await import("./battles");
    const db = testDb();
    seedPrompts(db, 60, FIVE);
    const rng = seededRng(7);
    for (let i = 0; i < 1000; i++) {
      const voterId = `voter-${i % 50}-hhhhhhhhhhhhhhhh`;
      const battle = createBattle(db, voterId, { rng });
      castVote(db, { battleId: battle.id, voterId, winner: "a", ttlMs: 60_000 });
    }
    const perPair = db.$client
      .prepare(
        "select min(model_a_id, model_b_id) x, max(model_a_id, model_b_id) y, count(*) n from battles group by x, y",
      )
      .all() as { n: number }[];
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
    const db = testDb();
    seedPrompts(db, 20, ["m1", "m2", "m3"]);
    const rng = seededRng(12);
    const truth = () => {
      const rows = db.$client
        .prepare(
          "select model_a_id a, model_b_id b, wins_a + wins_b + ties + both_bad n from tallies where category = 'overall'",
        )
        .all() as { a: number; b: number; n: number }[];
      return (x: number, y: number) =>
        rows
          .filter((r) => (r.a === x && r.b === y) || (r.a === y && r.b === x))
          .reduce((s, r) => s + r.n, 0);
    };
    const [a, b, c] = [modelId(db, "m1"), modelId(db, "m2"), modelId(db, "m3")];
    const check = () => {
      const cached = overallPairCounts(db);
      const exact = truth();
      for (const [x, y] of [
        [a, b],
        [a, c],
        [b, c],
      ] as const)
        expect(cached(x, y)).toBe(exact(x, y));
      // The least-voted pair's count, followed through the votes, is exact too.
      const table = pairTable(db);
      const slots = Int32Array.from([a, b, c], (x) => table.slot(x));
      expect(table.fewestAmong([a, b, c].join(","), slots)).toBe(
        Math.min(exact(a, b), exact(a, c), exact(b, c)),
      );
    };
    for (let i = 0; i < 30; i++) {
      overallPairCounts(db);
      const voterId = `v-${i}-pppppppppppppppp`;
      const battle = createBattle(db, voterId, { rng });
      castVote(db, { battleId: battle.id, voterId, winner: "a", ttlMs: 60_000 });
      check();
    }
    // A change the cache did not see: excluding votes through a recompute.
    db.$client.prepare("update battles set excluded = 1 where rowid % 2 = 0").run();
    recomputeTallies(db);
    check();
  });
});

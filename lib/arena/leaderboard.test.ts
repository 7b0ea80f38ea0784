import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { first } from "@/db/rows";
import { battles, models } from "@/db/schema";
import { computeLeaderboard } from "@/lib/ranking";
import { modelId, seededRng, seedPrompts, testDb } from "@/tests/helpers/db";
import { castVote, createBattle } from "./battles";
import { categoryMatchups, getLeaderboard, listCategories } from "./leaderboard";
import { addToTallies } from "./tallies";

const SETTINGS = { minVotes: 30, bootstrapRounds: 100, maxStalenessMs: 0 };
const STRENGTH: Record<string, number> = { strong: 3, mid: 1.5, weak: 0 };

/** Votes drawn from known strengths: "strong" should top every view. */
async function arena(votes: number) {
  const db = await testDb();
  await seedPrompts(db, 40, Object.keys(STRENGTH), {
    text: (i) => (i % 2 ? `Compute ${i} * ${i}.` : `Write a line about the sea, take ${i}.`),
  });
  const rng = seededRng(11);
  const slug = async (id: number) =>
    (await first(db.select({ slug: models.slug }).from(models).where(eq(models.id, id))))?.slug ??
    "";
  for (let i = 0; i < votes; i++) {
    const voterId = `voter-${i % 20}-aaaaaaaaaaaaaaaa`;
    const b = await createBattle(db, voterId, { rng });
    const row = (await first(
      db
        .select({ a: battles.modelAId, b: battles.modelBId })
        .from(battles)
        .where(eq(battles.id, b.id)),
    )) as { a: number; b: number };
    const p =
      1 /
      (1 + Math.exp(-((STRENGTH[await slug(row.a)] ?? 0) - (STRENGTH[await slug(row.b)] ?? 0))));
    await castVote(db, {
      battleId: b.id,
      voterId,
      winner: rng() < p ? "a" : "b",
      ttlMs: 3_600_000,
    });
  }
  return db;
}

describe("getLeaderboard", () => {
  it("ranks by Bradley–Terry with intervals, ranks and pairwise matrices", async () => {
    const db = await arena(300);
    const view = await getLeaderboard(db, {}, SETTINGS);
    expect(view.rows.map((r) => r.model)).toEqual(["strong", "mid", "weak"]);
    expect(view.totalVotes).toBe(300);
    expect(view.rows.reduce((s, r) => s + r.votes, 0)).toBe(600);
    for (const r of view.rows) {
      expect(r.ciLower).toBeLessThan(r.rating);
      expect(r.ciUpper).toBeGreaterThan(r.rating);
      expect(r.delta).toBeNull();
      expect(r.provisional).toBe(false);
    }
    expect(view.rows[0]?.rank).toBe(1);
    expect(view.rows[2]?.rank).toBeGreaterThan(1);
    expect(view.pairwise.models).toEqual(["strong", "mid", "weak"]);
    expect(view.pairwise.battles[0]?.[0]).toBe(0);
    expect(view.pairwise.winFraction[0]?.[2]).toBeGreaterThan(0.5);
    expect(
      (view.pairwise.predicted[0]?.[1] ?? 0) + (view.pairwise.predicted[1]?.[0] ?? 0),
    ).toBeCloseTo(1, 9);
  });

  it("answers from cache until the tallies change, then refits", async () => {
    const db = await arena(60);
    const first = await getLeaderboard(db, {}, SETTINGS);
    expect((await getLeaderboard(db, {}, SETTINGS)).updatedAt).toBe(first.updatedAt);
    const b = await createBattle(db, "voter-x-aaaaaaaaaaaaaaaa");
    await castVote(db, {
      battleId: b.id,
      voterId: "voter-x-aaaaaaaaaaaaaaaa",
      winner: "tie",
      ttlMs: 3_600_000,
    });
    const after = await getLeaderboard(db, {}, SETTINGS);
    expect(after.version).toBeGreaterThan(first.version);
    expect(after.totalVotes).toBe(61);
    // Within the staleness window the cached fit is served despite the new vote.
    const lazy = { ...SETTINGS, maxStalenessMs: 60_000 };
    const cached = await getLeaderboard(db, {}, lazy);
    const b2 = await createBattle(db, "voter-x-aaaaaaaaaaaaaaaa");
    await castVote(db, {
      battleId: b2.id,
      voterId: "voter-x-aaaaaaaaaaaaaaaa",
      winner: "a",
      ttlMs: 3_600_000,
    });
    expect((await getLeaderboard(db, {}, lazy)).totalVotes).toBe(cached.totalVotes);
  });

  it("leaves hidden models out, shows deprecated ones only on request and names as edited", async () => {
    const db = await arena(120);
    await db.update(models).set({ hidden: true }).where(eq(models.slug, "weak"));
    await db
      .update(models)
      .set({ deprecated: true, displayName: "Mid (old)" })
      .where(eq(models.slug, "mid"));
    expect((await getLeaderboard(db, {}, SETTINGS)).rows.map((r) => r.model)).toEqual(["strong"]);
    const all = await getLeaderboard(db, { includeDeprecated: true }, SETTINGS);
    expect(all.rows.map((r) => r.displayName)).toEqual(["Strong", "Mid (old)"]);
    expect(all.rows[1]?.deprecated).toBe(true);
  });

  it("fits a category on its own tallies and reports the rank change against overall", async () => {
    const db = await arena(200);
    const math = await getLeaderboard(db, { category: "math" }, SETTINGS);
    const cats = await listCategories(db);
    expect(cats[0]).toMatchObject({ category: "overall", votes: 200 });
    expect(math.totalVotes).toBe(cats.find((c) => c.category === "math")?.votes);
    expect(math.totalVotes).toBeLessThan(200);
    for (const r of math.rows) expect(r.delta).toBeTypeOf("number");
    expect(
      (await getLeaderboard(db, { category: "math", ci: "sandwich" }, SETTINGS)).rows,
    ).toHaveLength(3);
  });

  it("ranks models that never met the others apart, in their own component", async () => {
    const db = await arena(300);
    const before = await getLeaderboard(db, { ci: "sandwich" }, SETTINGS);
    // a demo pair beside the real models (as a demo set next to an import): no vote links them
    await seedPrompts(db, 2, ["demo-a", "demo-b"]);
    const [a, b] = [await modelId(db, "demo-a"), await modelId(db, "demo-b")];
    await addToTallies(db, [
      { category: "overall", modelAId: a, modelBId: b, winner: "a", n: 80 },
      { category: "overall", modelAId: a, modelBId: b, winner: "b", n: 20 },
    ]);
    const view = await getLeaderboard(db, { ci: "sandwich" }, SETTINGS);
    expect(view.rows.map((r) => [r.model, r.component, r.rank])).toEqual([
      ["strong", 0, 1],
      ["mid", 0, before.rows[1]?.rank],
      ["weak", 0, before.rows[2]?.rank],
      ["demo-a", 1, 1],
      ["demo-b", 1, 2],
    ]);
    // the real models' figures are those of their own fit: the demo pair changes nothing there
    view.rows.slice(0, 3).forEach((r, k) => {
      const was = before.rows[k];
      expect(r.worstRank).toBe(was?.worstRank);
      expect(r.rating).toBeCloseTo(was?.rating ?? 0, 6);
      expect(r.ciUpper).toBeCloseTo(was?.ciUpper ?? 0, 6);
    });
    for (const r of before.rows) {
      const others = before.rows.filter((o) => o !== r);
      expect(r.worstRank).toBe(1 + others.filter((o) => o.ciUpper > r.ciLower).length);
      expect(r.component).toBe(0);
    }
  });

  it('serves LMArena\'s reweighted fit and sandwich intervals as the method "reweighted"', async () => {
    const db = await arena(300);
    const view = await getLeaderboard(db, { ci: "reweighted" }, SETTINGS);
    const { slugs, matchups } = await categoryMatchups(db, "overall");
    const expected = computeLeaderboard(slugs, matchups, { ci: "sandwich", reweight: true });
    expect(view.ci).toBe("reweighted");
    expect(view.rows.map((r) => [r.model, r.rating, r.ciLower, r.ciUpper])).toEqual(
      expected.map((r) => [r.model, r.rating, r.ciLower, r.ciUpper]),
    );
    const plain = await getLeaderboard(db, { ci: "sandwich" }, SETTINGS);
    expect(view.rows.map((r) => r.rating)).not.toEqual(plain.rows.map((r) => r.rating));
  });

  it("marks models under the vote minimum as provisional", async () => {
    const db = await arena(20);
    expect((await getLeaderboard(db, {}, SETTINGS)).rows.every((r) => r.provisional)).toBe(true);
  });

  it("reports a few all-tie votes as too few votes for an interval, not as ±0", async () => {
    const db = await testDb();
    await seedPrompts(db, 3, ["left", "right"]);
    for (let i = 0; i < 3; i++) {
      const voterId = `voter-${i}-aaaaaaaaaaaaaaaa`;
      const b = await createBattle(db, voterId);
      await castVote(db, { battleId: b.id, voterId, winner: "tie", ttlMs: 3_600_000 });
    }
    for (const ci of ["bootstrap", "sandwich"] as const) {
      for (const r of (await getLeaderboard(db, { ci }, SETTINGS)).rows) {
        expect(r.ciUpper - r.ciLower).toBe(0);
        expect(r.ciStatus).toBe("too-few-votes");
      }
    }
    expect(
      (await getLeaderboard(await arena(300), {}, SETTINGS)).rows.map((r) => r.ciStatus),
    ).toEqual(["estimated", "estimated", "estimated"]);
  });
});

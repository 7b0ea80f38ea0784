import { gunzipSync } from "node:zlib";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { models } from "@/db/schema";
import { seededRng, seedPrompts, testDb } from "@/tests/helpers/db";
import { castVote, createBattle } from "./battles";
import { DEMAND_WINDOW_MS, nextWork, refreshCategories } from "./fit-worker/schedule";
import { getLeaderboard, type LeaderboardView, PAIRWISE_TOP } from "./leaderboard";
import { acquireLease, leaseHolder, releaseLease } from "./leases";
import {
  isKnownCategory,
  servedCategories,
  servedHead,
  servedVersion,
  servedView,
} from "./served-leaderboard";
import {
  noteDemand,
  publishSnapshot,
  readPublishedCategories,
  snapshotHead,
  snapshotPart,
} from "./snapshots";

const SETTINGS = { minVotes: 5, bootstrapRounds: 50, maxStalenessMs: 0 };

function votedDb(votes = 80, modelCount = 4) {
  const db = testDb();
  const slugs = Array.from({ length: modelCount }, (_, i) => `m${i}`);
  seedPrompts(db, 20, slugs, {
    text: (i) => (i % 2 ? `Compute ${i} * ${i}.` : `Write a line about the sea, take ${i}.`),
  });
  const rng = seededRng(5);
  for (let i = 0; i < votes; i++) vote(db, rng() < 0.6 ? "a" : "b", `voter-${i % 10}`);
  return db;
}

function vote(db: ReturnType<typeof testDb>, winner: "a" | "b" | "tie", voter = "voter-z") {
  const voterId = `${voter}-aaaaaaaaaaaaaaaa`;
  const b = createBattle(db, voterId);
  castVote(db, { battleId: b.id, voterId, winner, ttlMs: 3_600_000 });
}

describe("publishSnapshot", () => {
  it("publishes the leaderboard the app computes, serialised and gzipped once", () => {
    const db = votedDb();
    const head = publishSnapshot(db, "overall", "bootstrap", SETTINGS);
    const view = JSON.parse(snapshotPart(db, head, "view") as string) as LeaderboardView;
    const direct = getLeaderboard(db, {}, SETTINGS);
    expect(view.rows).toEqual(direct.rows);
    expect(view.totalVotes).toBe(80);
    expect(view.version).toBe(head.seq);
    const gz = snapshotPart(db, head, "viewGzip") as Buffer;
    expect(JSON.parse(gunzipSync(gz).toString("utf8"))).toEqual(view);
    const pairwise = JSON.parse(
      gunzipSync(snapshotPart(db, head, "pairwiseGzip") as Buffer).toString(),
    );
    expect(pairwise).toEqual(direct.pairwise);
  });

  it("gives each publication a new number, and re-renders names without refitting", () => {
    const db = votedDb();
    const first = publishSnapshot(db, "overall", "sandwich", SETTINGS);
    db.update(models).set({ displayName: "Renamed" }).where(eq(models.slug, "m1")).run();
    const second = publishSnapshot(db, "overall", "sandwich", SETTINGS, { refit: false });
    expect(second.seq).toBeGreaterThan(first.seq);
    expect(second.fittedAt).toBe(first.fittedAt);
    expect(second.catalog).not.toBe(first.catalog);
    const view = JSON.parse(snapshotPart(db, second, "view") as string) as LeaderboardView;
    expect(view.rows.find((r) => r.model === "m1")?.displayName).toBe("Renamed");
    // the replaced publication is gone: a reader holding its head is told so
    expect(snapshotPart(db, first, "view")).toBeUndefined();
  });

  it("keeps a category's Δ against overall and limits the heatmaps to the best models", () => {
    const db = votedDb(150, PAIRWISE_TOP + 3);
    const head = publishSnapshot(db, "math", "sandwich", SETTINGS);
    const view = JSON.parse(snapshotPart(db, head, "view") as string) as LeaderboardView;
    const direct = getLeaderboard(db, { category: "math", ci: "sandwich" }, SETTINGS);
    expect(view.rows.map((r) => [r.model, r.delta])).toEqual(
      direct.rows.map((r) => [r.model, r.delta]),
    );
    expect(view.pairwise.models).toEqual(view.rows.slice(0, PAIRWISE_TOP).map((r) => r.model));
    expect(view.rows.length).toBeGreaterThan(PAIRWISE_TOP);
  });
});

describe("the fit worker's schedule", () => {
  it("fits what is missing, then what is read and behind the votes, at most once per interval", () => {
    const db = votedDb();
    const now = Date.now();
    expect(nextWork(db, SETTINGS, "bootstrap", now)?.candidate).toMatchObject({
      category: "overall",
      method: "bootstrap",
    });
    publishSnapshot(db, "overall", "bootstrap", SETTINGS);
    expect(nextWork(db, SETTINGS, "bootstrap", now)).toBeUndefined();
    noteDemand(db, "math", "sandwich", new Date(now));
    // math/sandwich is missing; its Δ needs overall/sandwich too: the missing ones come first
    const next = nextWork(db, SETTINGS, "bootstrap", now);
    expect(next?.refit).toBe(true);
    publishSnapshot(db, "overall", "sandwich", SETTINGS);
    publishSnapshot(db, "math", "sandwich", SETTINGS);
    expect(nextWork(db, SETTINGS, "bootstrap", now)).toBeUndefined();

    vote(db, "a");
    const later = Date.now() + 1;
    // overall first (the categories' Δ column reads it), then the oldest
    expect(nextWork(db, SETTINGS, "bootstrap", later)?.candidate.category).toBe("overall");
    const lazy = { ...SETTINGS, maxStalenessMs: 60_000 };
    expect(nextWork(db, lazy, "bootstrap", later)).toBeUndefined();
    // nobody read math lately: only overall with the default method stays fresh
    const muchLater = later + DEMAND_WINDOW_MS + 1;
    publishSnapshot(db, "overall", "bootstrap", SETTINGS);
    expect(nextWork(db, SETTINGS, "bootstrap", muchLater)).toBeUndefined();
  });

  it("re-renders without a refit when only a model's name or visibility changed", () => {
    const db = votedDb();
    publishSnapshot(db, "overall", "bootstrap", SETTINGS);
    db.update(models).set({ hidden: true }).where(eq(models.slug, "m2")).run();
    expect(nextWork(db, SETTINGS, "bootstrap")).toMatchObject({ refit: false });
  });

  it("publishes the category list when the votes changed, at most every few seconds", () => {
    const db = votedDb();
    const t = Date.now();
    expect(refreshCategories(db, t)).toBe(true);
    const first = readPublishedCategories(db);
    expect(first?.list.map((c) => c.category)).toContain("math");
    vote(db, "tie");
    expect(refreshCategories(db, t + 1000)).toBe(false);
    expect(refreshCategories(db, t + 60_000)).toBe(true);
    expect(readPublishedCategories(db)?.list[0]?.votes).toBe(81);
    expect(refreshCategories(db, t + 120_000)).toBe(false);
  });
});

describe("leases", () => {
  it("are held by one holder at a time, renewed by it, taken over once expired", () => {
    const db = testDb();
    const t = Date.now();
    expect(acquireLease(db, "fit", "p1", 10_000, t)).toBe(true);
    expect(acquireLease(db, "fit", "p2", 10_000, t + 1)).toBe(false);
    expect(acquireLease(db, "fit", "p1", 10_000, t + 5_000)).toBe(true);
    expect(acquireLease(db, "fit", "p2", 10_000, t + 14_000)).toBe(false);
    expect(leaseHolder(db, "fit", t + 14_000)).toBe("p1");
    expect(acquireLease(db, "fit", "p2", 10_000, t + 15_001)).toBe(true);
    expect(leaseHolder(db, "fit", t + 15_002)).toBe("p2");
    releaseLease(db, "fit", "p1");
    expect(leaseHolder(db, "fit", t + 15_002)).toBe("p2");
    releaseLease(db, "fit", "p2");
    expect(leaseHolder(db, "fit", t + 15_002)).toBeUndefined();
  });
});

describe("what requests are served", () => {
  it("without a fit worker, a request refits a stale leaderboard itself", async () => {
    const db = votedDb();
    const first = await servedView(db, { category: "overall", method: "sandwich" }, SETTINGS);
    expect(first?.totalVotes).toBe(80);
    expect(servedVersion(db, { category: "overall", method: "sandwich" })).toBe(first?.version);
    vote(db, "b");
    const second = await servedView(db, { category: "overall", method: "sandwich" }, SETTINGS);
    expect(second?.totalVotes).toBe(81);
    expect(second?.version).toBeGreaterThan(first?.version ?? 0);
    // the same publication is parsed once per process
    expect(await servedView(db, { category: "overall", method: "sandwich" }, SETTINGS)).toBe(
      second,
    );
  });

  it("while a worker holds the lease, serves the published snapshot as it is and never fits", async () => {
    const db = votedDb();
    const head = publishSnapshot(db, "overall", "sandwich", SETTINGS);
    acquireLease(db, "fit-worker", "another-process", 60_000);
    vote(db, "a");
    const served = await servedHead(db, { category: "overall", method: "sandwich" }, SETTINGS);
    expect(served?.seq).toBe(head.seq);
    // a leaderboard with no snapshot yet is not fitted here either
    expect(
      await servedHead(db, { category: "math", method: "sandwich" }, SETTINGS, { wait: false }),
    ).toBeUndefined();
    expect(snapshotHead(db, "math", "sandwich")).toBeUndefined();
  });

  it("validates categories against the published list, and a newer one by an index probe", () => {
    const db = votedDb();
    expect(servedCategories(db)[0]?.category).toBe("overall");
    expect(isKnownCategory(db, "math")).toBe(true);
    expect(isKnownCategory(db, "overall")).toBe(true);
    expect(isKnownCategory(db, "no-such")).toBe(false);
    db.$client
      .prepare("insert into prompt_categories (prompt_id, category) values (1, 'fresh')")
      .run();
    expect(servedCategories(db).some((c) => c.category === "fresh")).toBe(false);
    expect(isKnownCategory(db, "fresh")).toBe(true);
  });
});

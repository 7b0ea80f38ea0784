import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { type ArenaDb, closeDatabase, openDatabase } from "@/db/client";
import { execute } from "@/db/rows";
import { models } from "@/db/schema";
import { seededRng, seedPrompts, testDb } from "@/tests/helpers/db";
import { freshPostgresUrl } from "@/tests/helpers/postgres";
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

async function votedDb(votes = 80, modelCount = 4) {
  const db = await testDb();
  const slugs = Array.from({ length: modelCount }, (_, i) => `m${i}`);
  await seedPrompts(db, 20, slugs, {
    text: (i) => (i % 2 ? `Compute ${i} * ${i}.` : `Write a line about the sea, take ${i}.`),
  });
  const rng = seededRng(5);
  for (let i = 0; i < votes; i++) await vote(db, rng() < 0.6 ? "a" : "b", `voter-${i % 10}`);
  return db;
}

async function vote(db: ArenaDb, winner: "a" | "b" | "tie", voter = "voter-z") {
  const voterId = `${voter}-aaaaaaaaaaaaaaaa`;
  const b = await createBattle(db, voterId);
  await castVote(db, { battleId: b.id, voterId, winner, ttlMs: 3_600_000 });
}

describe("publishSnapshot", () => {
  it("publishes the leaderboard the app computes, serialised and gzipped once", async () => {
    const db = await votedDb();
    const head = await publishSnapshot(db, "overall", "bootstrap", SETTINGS);
    const view = JSON.parse((await snapshotPart(db, head, "view")) as string) as LeaderboardView;
    const direct = await getLeaderboard(db, {}, SETTINGS);
    expect(view.rows).toEqual(direct.rows);
    expect(view.totalVotes).toBe(80);
    expect(view.version).toBe(head.seq);
    const gz = (await snapshotPart(db, head, "viewGzip")) as Buffer;
    expect(JSON.parse(gunzipSync(gz).toString("utf8"))).toEqual(view);
    const pairwise = JSON.parse(
      gunzipSync((await snapshotPart(db, head, "pairwiseGzip")) as Buffer).toString(),
    );
    expect(pairwise).toEqual(direct.pairwise);
  });

  it("gives each publication a new number, and re-renders names without refitting", async () => {
    const db = await votedDb();
    const first = await publishSnapshot(db, "overall", "sandwich", SETTINGS);
    await db.update(models).set({ displayName: "Renamed" }).where(eq(models.slug, "m1"));
    const second = await publishSnapshot(db, "overall", "sandwich", SETTINGS, { refit: false });
    expect(second.seq).toBeGreaterThan(first.seq);
    expect(second.fittedAt).toBe(first.fittedAt);
    expect(second.catalog).not.toBe(first.catalog);
    const view = JSON.parse((await snapshotPart(db, second, "view")) as string) as LeaderboardView;
    expect(view.rows.find((r) => r.model === "m1")?.displayName).toBe("Renamed");
    // the replaced publication is gone: a reader holding its head is told so
    expect(await snapshotPart(db, first, "view")).toBeUndefined();
  });

  it("keeps a category's Δ against overall and limits the heatmaps to the best models", async () => {
    const db = await votedDb(150, PAIRWISE_TOP + 3);
    const head = await publishSnapshot(db, "math", "sandwich", SETTINGS);
    const view = JSON.parse((await snapshotPart(db, head, "view")) as string) as LeaderboardView;
    const direct = await getLeaderboard(db, { category: "math", ci: "sandwich" }, SETTINGS);
    expect(view.rows.map((r) => [r.model, r.delta])).toEqual(
      direct.rows.map((r) => [r.model, r.delta]),
    );
    expect(view.pairwise.models).toEqual(view.rows.slice(0, PAIRWISE_TOP).map((r) => r.model));
    expect(view.rows.length).toBeGreaterThan(PAIRWISE_TOP);
  });
});

describe("the fit worker's schedule", () => {
  it("fits what is missing, then what is read and behind the votes, at most once per interval", async () => {
    const db = await votedDb();
    const now = Date.now();
    expect((await nextWork(db, SETTINGS, "bootstrap", now))?.candidate).toMatchObject({
      category: "overall",
      method: "bootstrap",
    });
    await publishSnapshot(db, "overall", "bootstrap", SETTINGS);
    expect(await nextWork(db, SETTINGS, "bootstrap", now)).toBeUndefined();
    await noteDemand(db, "math", "sandwich", new Date(now));
    // math/sandwich is missing; its Δ needs overall/sandwich too: the missing ones come first
    const next = await nextWork(db, SETTINGS, "bootstrap", now);
    expect(next?.refit).toBe(true);
    await publishSnapshot(db, "overall", "sandwich", SETTINGS);
    await publishSnapshot(db, "math", "sandwich", SETTINGS);
    expect(await nextWork(db, SETTINGS, "bootstrap", now)).toBeUndefined();

    await vote(db, "a");
    const later = Date.now() + 1;
    // overall first (the categories' Δ column reads it), then the oldest
    expect((await nextWork(db, SETTINGS, "bootstrap", later))?.candidate.category).toBe("overall");
    const lazy = { ...SETTINGS, maxStalenessMs: 60_000 };
    expect(await nextWork(db, lazy, "bootstrap", later)).toBeUndefined();
    // nobody read math lately: only overall with the default method stays fresh
    const muchLater = later + DEMAND_WINDOW_MS + 1;
    await publishSnapshot(db, "overall", "bootstrap", SETTINGS);
    expect(await nextWork(db, SETTINGS, "bootstrap", muchLater)).toBeUndefined();
  });

  it("publishes LMArena's reweighted view under its own key, the default one when configured", async () => {
    const db = await votedDb();
    const now = Date.now();
    expect((await nextWork(db, SETTINGS, "reweighted", now))?.candidate).toMatchObject({
      category: "overall",
      method: "reweighted",
    });
    const head = await publishSnapshot(db, "overall", "reweighted", SETTINGS);
    expect(head.method).toBe("reweighted");
    expect(await nextWork(db, SETTINGS, "reweighted", now)).toBeUndefined();
    const view = JSON.parse((await snapshotPart(db, head, "view")) as string) as LeaderboardView;
    expect(view.ci).toBe("reweighted");
    expect(view.rows).toEqual((await getLeaderboard(db, { ci: "reweighted" }, SETTINGS)).rows);
  });

  it("re-renders without a refit when only a model's name or visibility changed", async () => {
    const db = await votedDb();
    await publishSnapshot(db, "overall", "bootstrap", SETTINGS);
    await db.update(models).set({ hidden: true }).where(eq(models.slug, "m2"));
    expect(await nextWork(db, SETTINGS, "bootstrap")).toMatchObject({ refit: false });
  });

  it("publishes the category list when the votes changed, at most every few seconds", async () => {
    const db = await votedDb();
    const t = Date.now();
    expect(await refreshCategories(db, t)).toBe(true);
    const first = await readPublishedCategories(db);
    expect(first?.list.map((c) => c.category)).toContain("math");
    await vote(db, "tie");
    expect(await refreshCategories(db, t + 1000)).toBe(false);
    expect(await refreshCategories(db, t + 60_000)).toBe(true);
    expect((await readPublishedCategories(db))?.list[0]?.votes).toBe(81);
    expect(await refreshCategories(db, t + 120_000)).toBe(false);
  });
});

describe("leases", () => {
  it("are held by one holder at a time, renewed by it, taken over once expired", async () => {
    const db = await testDb();
    const t = Date.now();
    expect(await acquireLease(db, "fit", "p1", 10_000, t)).toBe(true);
    expect(await acquireLease(db, "fit", "p2", 10_000, t + 1)).toBe(false);
    expect(await acquireLease(db, "fit", "p1", 10_000, t + 5_000)).toBe(true);
    expect(await acquireLease(db, "fit", "p2", 10_000, t + 14_000)).toBe(false);
    expect(await leaseHolder(db, "fit", t + 14_000)).toBe("p1");
    expect(await acquireLease(db, "fit", "p2", 10_000, t + 15_001)).toBe(true);
    expect(await leaseHolder(db, "fit", t + 15_002)).toBe("p2");
    await releaseLease(db, "fit", "p1");
    expect(await leaseHolder(db, "fit", t + 15_002)).toBe("p2");
    await releaseLease(db, "fit", "p2");
    expect(await leaseHolder(db, "fit", t + 15_002)).toBeUndefined();
  });

  it("go to exactly one of several processes asking at once, free or expired", async () => {
    // Separate connections to one file, or separate pools racing on one PostgreSQL database.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "arena-lease-"));
    const url = (await freshPostgresUrl()) ?? `file:${path.join(dir, "arena.db")}`;
    const processes = await Promise.all(Array.from({ length: 6 }, () => openDatabase(url)));
    try {
      const race = async (name: string, now: number) => {
        const won = await Promise.all(
          processes.map((db, i) => acquireLease(db, name, `p${i}`, 10_000, now)),
        );
        return processes.map((_, i) => `p${i}`).filter((_, i) => won[i]);
      };
      const t = Date.now();
      const first = await race("fit", t);
      expect(first).toHaveLength(1);
      expect(await leaseHolder(processes[0] as ArenaDb, "fit", t)).toBe(first[0]);
      expect(await race("fit", t + 5_000)).toEqual(first);
      // the holder died: once its lease ran out, one other process takes it over
      const next = await race("fit", t + 10_000);
      expect(next).toHaveLength(1);
      expect(await leaseHolder(processes[0] as ArenaDb, "fit", t + 10_000)).toBe(next[0]);
    } finally {
      await Promise.all(processes.map((db) => closeDatabase(db)));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("what requests are served", () => {
  it("without a fit worker, a request refits a stale leaderboard itself", async () => {
    const db = await votedDb();
    const first = await servedView(db, { category: "overall", method: "sandwich" }, SETTINGS);
    expect(first?.totalVotes).toBe(80);
    expect(await servedVersion(db, { category: "overall", method: "sandwich" })).toBe(
      first?.version,
    );
    await vote(db, "b");
    const second = await servedView(db, { category: "overall", method: "sandwich" }, SETTINGS);
    expect(second?.totalVotes).toBe(81);
    expect(second?.version).toBeGreaterThan(first?.version ?? 0);
    // the same publication is parsed once per process
    expect(await servedView(db, { category: "overall", method: "sandwich" }, SETTINGS)).toBe(
      second,
    );
  });

  it("while a worker holds the lease, serves the published snapshot as it is and never fits", async () => {
    const db = await votedDb();
    const head = await publishSnapshot(db, "overall", "sandwich", SETTINGS);
    await acquireLease(db, "fit-worker", "another-process", 60_000);
    await vote(db, "a");
    const served = await servedHead(db, { category: "overall", method: "sandwich" }, SETTINGS);
    expect(served?.seq).toBe(head.seq);
    // a leaderboard with no snapshot yet is not fitted here either
    expect(
      await servedHead(db, { category: "math", method: "sandwich" }, SETTINGS, { wait: false }),
    ).toBeUndefined();
    expect(await snapshotHead(db, "math", "sandwich")).toBeUndefined();
  });

  it("validates categories against the published list, and a newer one by an index probe", async () => {
    const db = await votedDb();
    expect((await servedCategories(db))[0]?.category).toBe("overall");
    expect(await isKnownCategory(db, "math")).toBe(true);
    expect(await isKnownCategory(db, "overall")).toBe(true);
    expect(await isKnownCategory(db, "no-such")).toBe(false);
    await execute(db, sql`insert into prompt_categories (prompt_id, category) values (1, 'fresh')`);
    expect((await servedCategories(db)).some((c) => c.category === "fresh")).toBe(false);
    expect(await isKnownCategory(db, "fresh")).toBe(true);
  });
});

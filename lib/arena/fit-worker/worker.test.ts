import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { closeDatabase, openDatabase } from "@/db/client";
import { seedPrompts } from "@/tests/helpers/db";
import { freshPostgresUrl } from "@/tests/helpers/postgres";
import { castVote, createBattle } from "../battles";
import { leaseHolder } from "../leases";
import { servedHead } from "../served-leaderboard";
import { snapshotHead } from "../snapshots";
import { talliesVersion } from "../tallies";
import { FIT_LEASE } from "./protocol";
import { fitWorkerStarted, startFitWorker, stopFitWorker } from "./start";

const SETTINGS = { minVotes: 5, bootstrapRounds: 50, maxStalenessMs: 0 };

async function until<T>(what: () => Promise<T | undefined>, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (v) return v;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 25));
  }
}

afterEach(async () => {
  await stopFitWorker();
});

describe("the fit worker thread", () => {
  it("publishes snapshots off the request thread, a new one within seconds of a vote", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "arena-fit-"));
    // a file the thread opens too, or a database of its own on the suite's PostgreSQL server
    const url = (await freshPostgresUrl()) ?? `file:${path.join(dir, "arena.db")}`;
    const db = await openDatabase(url);
    await seedPrompts(db, 10, ["x", "y", "z"]);
    const vote = async (winner: "a" | "b") => {
      const b = await createBattle(db, "voter-1-aaaaaaaaaaaaaaaa");
      await castVote(db, {
        battleId: b.id,
        voterId: "voter-1-aaaaaaaaaaaaaaaa",
        winner,
        ttlMs: 60_000,
      });
    };
    for (let i = 0; i < 12; i++) await vote(i % 3 ? "a" : "b");
    startFitWorker({ databaseUrl: url, defaultMethod: "bootstrap", log: () => {} });
    // a reader waits for the first snapshot instead of fitting it here
    const first = await servedHead(db, { category: "overall", method: "bootstrap" }, SETTINGS);
    expect(first?.talliesVersion).toBe(await talliesVersion(db));
    expect(await leaseHolder(db, FIT_LEASE)).toBeDefined();

    await vote("b");
    const votedAt = Date.now();
    const next = await until(async () => {
      const h = await snapshotHead(db, "overall", "bootstrap");
      return h && h.talliesVersion === (await talliesVersion(db)) ? h : undefined;
    }, 5_000);
    expect(next.seq).toBeGreaterThan(first?.seq ?? 0);
    expect(next.publishedAt - votedAt).toBeLessThan(5_000);

    await stopFitWorker();
    // a clean stop hands the lease back at once
    expect(await leaseHolder(db, FIT_LEASE)).toBeUndefined();
    await closeDatabase(db);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 30_000);
});

describe("an in-memory database", () => {
  it("gets no worker (its thread would open another, empty database): requests fit instead", () => {
    startFitWorker({ databaseUrl: ":memory:", defaultMethod: "bootstrap", log: () => {} });
    expect(fitWorkerStarted()).toBe(false);
  });
});

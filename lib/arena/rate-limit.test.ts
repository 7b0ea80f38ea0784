import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { type ArenaDb, closeDatabase, openDatabase } from "@/db/client";
import { battles, rateWindows } from "@/db/schema";
import { ArenaError } from "@/lib/errors";
import { seedPrompts, testDb } from "@/tests/helpers/db";
import { freshPostgresUrl, testServerUrl } from "@/tests/helpers/postgres";
import { castVote, createBattle } from "./battles";
import {
  type ActionLimits,
  type Bucket,
  chargeRequest,
  countRequest,
  hitLimits,
  type Limit,
  type LimitedAction,
  RateLimited,
  SWEEP_INTERVAL_MS,
  sweepRateWindows,
} from "./rate-limit";

const MINUTE = 60_000;
const DAY = 86_400_000;
/** The defaults (lib/env.ts). */
const LIMITS: ActionLimits = {
  voter: [
    { max: 30, windowMs: MINUTE },
    { max: 2_000, windowMs: DAY },
  ],
  address: [
    { max: 300, windowMs: MINUTE },
    { max: 20_000, windowMs: DAY },
  ],
};

const bucket = (key: string, limits: readonly Limit[]): Bucket => ({
  action: "vote",
  scope: "voter",
  key,
  limits,
});

describe("hitLimits", () => {
  it("allows up to max per window, then refuses with the time to wait", async () => {
    const db = await testDb();
    let t = 1_000;
    const limits = [{ max: 3, windowMs: 60_000 }];
    for (let i = 0; i < 3; i++)
      expect((await hitLimits(db, [bucket("v", limits)], t)).ok).toBe(true);
    t += 10_000;
    expect(await hitLimits(db, [bucket("v", limits)], t)).toEqual({
      ok: false,
      retryAfterMs: 50_000,
      limit: limits[0],
      bucket: bucket("v", limits),
    });
    expect((await hitLimits(db, [bucket("other", limits)], t)).ok).toBe(true);
    t += 50_000;
    expect((await hitLimits(db, [bucket("v", limits)], t)).ok).toBe(true);
  });

  it("checks every window and counts nothing when one refuses", async () => {
    const db = await testDb();
    let t = 0;
    const limits = [
      { max: 2, windowMs: 1_000 },
      { max: 3, windowMs: 10_000 },
    ];
    const hit = () => hitLimits(db, [bucket("k", limits)], t);
    expect((await hit()).ok).toBe(true);
    expect((await hit()).ok).toBe(true);
    expect((await hit()).ok).toBe(false);
    t = 1_000;
    expect((await hit()).ok).toBe(true);
    const refused = await hit();
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.limit.windowMs).toBe(10_000);
    t = 2_000;
    expect((await hit()).ok).toBe(false);
  });

  it("counts nothing for the voter when the address refuses", async () => {
    const db = await testDb();
    const voter = [{ max: 5, windowMs: MINUTE }];
    const address = [{ max: 2, windowMs: MINUTE }];
    const hit = (addr: string) =>
      hitLimits(db, [
        bucket("v", voter),
        { action: "vote", scope: "address", key: addr, limits: address },
      ]);
    expect((await hit("a")).ok).toBe(true);
    expect((await hit("a")).ok).toBe(true);
    for (let i = 0; i < 5; i++) expect((await hit("a")).ok).toBe(false);
    // The voter spent 2 of 5: three more from another address.
    for (let i = 0; i < 3; i++) expect((await hit(`b${i}`)).ok).toBe(true);
    const last = await hit("c");
    expect(last.ok).toBe(false);
    if (!last.ok) expect(last.bucket.scope).toBe("voter");
  });

  it("sweeps ended windows at most once per interval, not on every request", async () => {
    const db = await testDb();
    const limits = [{ max: 3, windowMs: 1_000 }];
    const rows = async () => (await db.select().from(rateWindows)).length;
    await hitLimits(db, [bucket("a", limits)], 100_000); // first use: a sweep, of nothing
    await hitLimits(db, [bucket("b", limits)], 100_000);
    expect(await rows()).toBe(2);
    await hitLimits(db, [bucket("c", limits)], 100_000 + SWEEP_INTERVAL_MS - 1);
    expect(await rows()).toBe(3);
    await hitLimits(db, [bucket("d", limits)], 100_000 + SWEEP_INTERVAL_MS);
    expect(
      (await db.select({ key: rateWindows.key }).from(rateWindows).orderBy(rateWindows.key)).map(
        (r) => r.key,
      ),
    ).toEqual(["c", "d"]);
    expect(await sweepRateWindows(db, 100_000 + SWEEP_INTERVAL_MS + 1_000)).toBe(2);
  });
});

describe("rate limits across processes", () => {
  const dirs: string[] = [];
  const open: ArenaDb[] = [];
  afterEach(async () => {
    for (const db of open.splice(0)) await closeDatabase(db);
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Two connections to one database (file), as two app processes have. */
  async function twoProcesses(): Promise<[ArenaDb, ArenaDb]> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "arena-rate-"));
    dirs.push(dir);
    const url = (await freshPostgresUrl()) ?? `file:${path.join(dir, "arena.db")}`;
    const a = await openDatabase(url);
    const b = await openDatabase(url);
    open.push(a, b);
    return [a, b];
  }

  async function refusal(fn: () => Promise<unknown>): Promise<ArenaError> {
    try {
      await fn();
    } catch (e) {
      if (e instanceof ArenaError) return e;
      throw e;
    }
    throw new Error("not refused");
  }

  const request = (action: LimitedAction, voter: string, address = "address-1") => ({
    action,
    voter,
    address,
    limits: LIMITS,
  });

  it("holds a voter to 30 votes a minute across two processes; the 31st is refused on either and records nothing", async () => {
    const [a, b] = await twoProcesses();
    await seedPrompts(a, 40, ["m1", "m2", "m3"]);
    const t0 = Date.now();
    // Battles drawn earlier (a minute's battles are limited too), one per vote to come.
    const ids: string[] = [];
    for (let i = 0; i < 32; i++)
      ids.push(
        (await createBattle(i % 2 ? b : a, "voter-1", { now: new Date(t0 - 2 * MINUTE) })).id,
      );
    const vote = (db: ArenaDb, i: number, at: number) =>
      castVote(db, {
        battleId: ids[i] as string,
        voterId: "voter-1",
        winner: "a",
        ttlMs: 3_600_000,
        now: new Date(at),
        rateLimit: request("vote", "voter-1"),
      });
    for (let i = 0; i < 30; i++) await vote(i % 2 ? b : a, i, t0 + i * 100);
    for (const db of [a, b]) {
      const e = await refusal(() => vote(db, 30, t0 + 20_000));
      expect(e).toBeInstanceOf(RateLimited);
      expect(e.message).toBe(
        "Too many votes from this voter: at most 30 per minute. Try again in 40 s.",
      );
      expect(e.headers).toEqual({ "Retry-After": "40" });
    }
    const [open31] = await a
      .select()
      .from(battles)
      .where(eq(battles.id, ids[30] as string));
    expect(open31?.winner).toBeNull();
    // Another voter on the same address, and the same voter's battles, are counted apart.
    await countRequest(b, request("vote", "voter-2"), t0 + 20_000);
    await countRequest(a, request("battle", "voter-1"), t0 + 20_000);
    // The window resets a minute after its first vote, on both.
    await vote(b, 30, t0 + MINUTE);
    await vote(a, 31, t0 + MINUTE + 1);
  });

  it("holds a voter's limit when their requests arrive at once on both processes", async () => {
    const [a, b] = await twoProcesses();
    const limits = { ...LIMITS, voter: [{ max: 5, windowMs: MINUTE }] };
    const r = { action: "vote" as const, voter: "v", address: "x", limits };
    // Two SQLite connections in one process cannot overlap transactions (the second waits for
    // the file's lock synchronously, holding up the first): there one connection takes them all.
    const dbs = testServerUrl() ? [a, b] : [a];
    const all = await Promise.allSettled(
      Array.from({ length: 16 }, (_, i) => countRequest(dbs[i % dbs.length] as ArenaDb, r, 1_000)),
    );
    expect(all.filter((x) => x.status === "fulfilled")).toHaveLength(5);
    for (const x of all) if (x.status === "rejected") expect(x.reason).toBeInstanceOf(RateLimited);
  });

  it("names the address when the address's limit is the one reached", async () => {
    const [a, b] = await twoProcesses();
    const limits = { ...LIMITS, address: [{ max: 3, windowMs: MINUTE }] };
    const r = (voter: string) => ({ action: "battle" as const, voter, address: "x", limits });
    for (let i = 0; i < 3; i++) await countRequest(i % 2 ? b : a, r(`v${i}`), 0);
    const e = await refusal(() => countRequest(b, r("v9"), 1));
    expect(e.message).toBe(
      "Too many battles from this address: at most 3 per minute. Try again in 60 s.",
    );
  });

  it("a request counted in a transaction that fails counts nothing", async () => {
    const [a] = await twoProcesses();
    const limits = { ...LIMITS, voter: [{ max: 1, windowMs: MINUTE }] };
    const r = { action: "vote" as const, voter: "v", address: "x", limits };
    await expect(
      a.transaction(async (tx) => {
        await chargeRequest(tx, r, 0);
        throw new Error("the vote failed");
      }),
    ).rejects.toThrow("the vote failed");
    await countRequest(a, r, 1);
    await expect(countRequest(a, r, 2)).rejects.toThrow(RateLimited);
  });
});

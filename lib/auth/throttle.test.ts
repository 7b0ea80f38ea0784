import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type ArenaDb, closeDatabase, openDatabase } from "@/db/client";
import { isArenaError } from "@/lib/errors";
import { testDb } from "@/tests/helpers/db";
import { freshPostgresUrl } from "@/tests/helpers/postgres";
import {
  ACCOUNT_POLICY,
  ADDRESS_POLICY,
  beginSignInAttempt,
  clearAccountThrottle,
  FORGET_AFTER_MS,
  lockoutMs,
  signInSucceeded,
  throttleKeys,
} from "./throttle";

const SECRET = "throttle-test-secret-0123456789";
const T0 = 1_700_000_000_000;

/** The Retry-After seconds of a refused attempt, or null when it was let through. */
async function attempt(db: ArenaDb, email: string, ip: string, now: number) {
  try {
    await beginSignInAttempt(db, throttleKeys(email, ip, SECRET), now);
    return null;
  } catch (e) {
    if (!isArenaError(e) || e.code !== "rate_limited") throw e;
    expect(e.status).toBe(429);
    return { retryAfter: Number(e.headers?.["Retry-After"]), message: e.message };
  }
}

describe("lockoutMs", () => {
  it("gives free tries, then doubles up to the cap", () => {
    expect([1, 4, 5, 6, 7, 8].map((n) => lockoutMs(n, ACCOUNT_POLICY))).toEqual([
      0, 0, 30_000, 60_000, 120_000, 240_000,
    ]);
    expect(lockoutMs(30, ACCOUNT_POLICY)).toBe(ACCOUNT_POLICY.maxMs);
    expect(lockoutMs(10_000, ADDRESS_POLICY)).toBe(ADDRESS_POLICY.maxMs);
    expect(lockoutMs(9, ADDRESS_POLICY)).toBe(0);
  });
});

describe("sign-in throttle", () => {
  it("locks an account after its free tries, with a lockout that grows", async () => {
    const db = await testDb();
    // Each try from a different address: the account key alone must stop a spread-out guesser.
    for (let i = 0; i < ACCOUNT_POLICY.free; i++)
      expect(await attempt(db, "Admin@Example.com", `10.0.0.${i}`, T0 + i)).toBeNull();
    const refused = await attempt(db, "admin@example.com", "10.0.1.1", T0 + 10);
    expect(refused?.retryAfter).toBe(30);
    expect(refused?.message).toMatch(/this account.*Try again in 30 s/);
    // The refused try was not counted: 30 s later the next one is let through...
    expect(await attempt(db, "admin@example.com", "10.0.1.2", T0 + 30_010)).toBeNull();
    // ...and locks the account for a minute, then two.
    expect((await attempt(db, "admin@example.com", "10.0.1.3", T0 + 30_011))?.retryAfter).toBe(60);
    expect(await attempt(db, "admin@example.com", "10.0.1.4", T0 + 90_011)).toBeNull();
    expect((await attempt(db, "admin@example.com", "10.0.1.5", T0 + 90_012))?.retryAfter).toBe(120);
    // Another account is not affected.
    expect(await attempt(db, "other@example.com", "10.0.1.6", T0 + 3013)).toBeNull();
  });

  it("locks an address that tries many accounts", async () => {
    const db = await testDb();
    for (let i = 0; i < ADDRESS_POLICY.free; i++)
      expect(await attempt(db, `user${i}@example.com`, "203.0.113.7", T0 + i)).toBeNull();
    const refused = await attempt(db, "fresh@example.com", "203.0.113.7", T0 + 20);
    expect(refused?.retryAfter).toBe(30);
    expect(refused?.message).toMatch(/network address/);
    // An IPv6 client is one /64: rotating through its own addresses does not help it.
    for (let i = 0; i < ADDRESS_POLICY.free; i++)
      expect(await attempt(db, `v6-${i}@example.com`, `2001:db8:1:2::${i + 1}`, T0 + i)).toBeNull();
    expect(await attempt(db, "v6-x@example.com", "2001:db8:1:2:ffff::9", T0 + 20)).not.toBeNull();
    // Another address is not affected.
    expect(await attempt(db, "fresh@example.com", "203.0.113.8", T0 + 21)).toBeNull();
  });

  it("counts attempts before the password is checked, so a burst cannot slip through", async () => {
    const db = await testDb();
    const results = await Promise.all(
      Array.from({ length: 16 }, () => attempt(db, "admin@example.com", "198.51.100.1", T0)),
    );
    expect(results.filter((r) => r === null)).toHaveLength(ACCOUNT_POLICY.free);
  });

  it("starts over after a success, an operator's reset, or a quiet day", async () => {
    const db = await testDb();
    const lock = async (email: string, now: number) => {
      for (let i = 0; i < ACCOUNT_POLICY.free; i++) await attempt(db, email, "192.0.2.1", now);
      expect(await attempt(db, email, "192.0.2.1", now)).not.toBeNull();
    };
    await lock("a@example.com", T0);
    await signInSucceeded(db, throttleKeys("a@example.com", "192.0.2.1", SECRET));
    expect(await attempt(db, "a@example.com", "192.0.2.1", T0)).toBeNull();

    await lock("b@example.com", T0);
    await clearAccountThrottle(db, "B@example.com");
    expect(await attempt(db, "b@example.com", "192.0.2.2", T0)).toBeNull();

    await lock("c@example.com", T0);
    const later = T0 + FORGET_AFTER_MS + 1000;
    expect(await attempt(db, "c@example.com", "192.0.2.3", later)).toBeNull();
    for (let i = 1; i < ACCOUNT_POLICY.free; i++)
      expect(await attempt(db, "c@example.com", "192.0.2.3", later)).toBeNull();
  });

  describe("shared between processes", () => {
    let dir: string | undefined;
    afterEach(() => {
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });
    it("a lockout written by one connection holds in another", async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "arena-throttle-"));
      // Two connections to one SQLite file, or two pools on one PostgreSQL database.
      const url = (await freshPostgresUrl()) ?? `file:${path.join(dir, "arena.db")}`;
      const one = await openDatabase(url);
      const two = await openDatabase(url);
      try {
        for (let i = 0; i < ACCOUNT_POLICY.free; i++)
          await attempt(i % 2 ? one : two, "admin@example.com", `10.1.0.${i}`, T0);
        expect(await attempt(one, "admin@example.com", "10.1.1.1", T0)).not.toBeNull();
        expect(await attempt(two, "admin@example.com", "10.1.1.2", T0)).not.toBeNull();
      } finally {
        await closeDatabase(one);
        await closeDatabase(two);
      }
    });
  });
});

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { testServerUrl } from "@/tests/helpers/postgres";
import { closeDatabase, connectionOf, openDatabase } from "./client";
import { execute, rows } from "./rows";
import { counters } from "./schema";

// This file is about the SQLite client; the tables are chosen for the suite's database, so on
// PostgreSQL (db/postgres.test.ts) it has nothing to run.
const onSqlite = !testServerUrl();

const saved = process.env.ARENA_DB_SYNC;
afterEach(() => {
  if (saved === undefined) delete process.env.ARENA_DB_SYNC;
  else process.env.ARENA_DB_SYNC = saved;
  resetEnvCache();
});

const synchronous = async (value: string | undefined) => {
  if (value === undefined) delete process.env.ARENA_DB_SYNC;
  else process.env.ARENA_DB_SYNC = value;
  resetEnvCache();
  const db = await openDatabase(":memory:");
  try {
    return connectionOf(db).sqlite?.pragma("synchronous", { simple: true });
  } finally {
    await closeDatabase(db);
  }
};

const value = async (db: Awaited<ReturnType<typeof openDatabase>>, name: string) =>
  (await db.select({ value: counters.value }).from(counters).where(eq(counters.name, name)))[0]
    ?.value;

describe.runIf(onSqlite)("ARENA_DB_SYNC", () => {
  it("opens the database with synchronous NORMAL (1) by default and FULL (2) when asked", async () => {
    expect(await synchronous(undefined)).toBe(1);
    expect(await synchronous("full")).toBe(2);
  });

  it("refuses a misspelt value instead of quietly running with NORMAL", async () => {
    await expect(synchronous("ful")).rejects.toThrow(/ARENA_DB_SYNC/);
  });
});

describe.runIf(onSqlite)("awaited transactions on SQLite", () => {
  const bump = (name: string) =>
    sql`insert into counters (name, value) values (${name}, 1) on conflict(name) do update set value = counters.value + 1`;

  it("commit, roll back on a throw, and nest as savepoints", async () => {
    const db = await openDatabase(":memory:");
    await db.transaction(async (tx) => {
      await execute(tx, bump("kept"));
    });
    await expect(
      db.transaction(async (tx) => {
        await execute(tx, bump("lost"));
        throw new Error("no");
      }),
    ).rejects.toThrow("no");
    await db.transaction(async (tx) => {
      await execute(tx, bump("outer"));
      await expect(
        tx.transaction(async (inner) => {
          await execute(inner, bump("inner"));
          throw new Error("inner fails");
        }),
      ).rejects.toThrow("inner fails");
    });
    expect(await value(db, "kept")).toBe(1);
    expect(await value(db, "lost")).toBeUndefined();
    expect(await value(db, "outer")).toBe(1);
    expect(await value(db, "inner")).toBeUndefined();
    await closeDatabase(db);
  });

  it("fail loudly when the body waits on something other than the database", async () => {
    const db = await openDatabase(":memory:");
    await expect(
      db.transaction(async (tx) => {
        await execute(tx, bump("slow"));
        await new Promise((r) => setTimeout(r, 5));
      }),
    ).rejects.toThrow(/waited on something other than the database/);
    await closeDatabase(db);
  });

  it("take the write lock first, so a read-then-write transaction is never refused mid-way", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "arena-client-"));
    const url = `file:${path.join(dir, "a.db")}`;
    const mine = await openDatabase(url);
    const other = await openDatabase(url);
    connectionOf(other).sqlite?.pragma("busy_timeout = 50");
    let otherWrite: unknown;
    // Deferred, this transaction would read, let the other connection commit, then fail its own
    // write with SQLITE_BUSY_SNAPSHOT; immediate, the other connection waits (here: gives up).
    await mine.transaction(async (tx) => {
      await rows(tx, sql`select count(*) from counters`);
      try {
        await execute(other, bump("theirs"));
      } catch (e) {
        otherWrite = e;
      }
      await execute(tx, bump("mine"));
    });
    expect(String((otherWrite as Error).cause)).toMatch(/database is locked/);
    expect(await value(mine, "mine")).toBe(1);
    // a transaction may still ask to be deferred
    await mine.transaction(async () => execute(other, bump("theirs")), { behavior: "deferred" });
    await closeDatabase(mine);
    await closeDatabase(other);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

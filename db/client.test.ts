import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { openDatabase } from "./client";

const saved = process.env.ARENA_DB_SYNC;
afterEach(() => {
  if (saved === undefined) delete process.env.ARENA_DB_SYNC;
  else process.env.ARENA_DB_SYNC = saved;
  resetEnvCache();
});

const synchronous = (value: string | undefined) => {
  if (value === undefined) delete process.env.ARENA_DB_SYNC;
  else process.env.ARENA_DB_SYNC = value;
  resetEnvCache();
  const db = openDatabase(":memory:");
  try {
    return db.$client.pragma("synchronous", { simple: true });
  } finally {
    db.$client.close();
  }
};

describe("ARENA_DB_SYNC", () => {
  it("opens the database with synchronous NORMAL (1) by default and FULL (2) when asked", () => {
    expect(synchronous(undefined)).toBe(1);
    expect(synchronous("full")).toBe(2);
  });

  it("refuses a misspelt value instead of quietly running with NORMAL", () => {
    expect(() => synchronous("ful")).toThrow(/ARENA_DB_SYNC/);
  });
});

describe("transactions beside another connection (the fit worker's, an import's)", () => {
  it("take the write lock first, so a read-then-write transaction is never refused mid-way", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "arena-client-"));
    const url = `file:${path.join(dir, "a.db")}`;
    const mine = openDatabase(url);
    const other = openDatabase(url);
    other.$client.pragma("busy_timeout = 50");
    const bump = (db: typeof mine, name: string) =>
      db.$client
        .prepare(
          "insert into counters (name, value) values (?, 1) on conflict(name) do update set value = value + 1",
        )
        .run(name);
    let otherWrite: unknown;
    // Deferred, this transaction would read, let the other connection commit, then fail its own
    // write with SQLITE_BUSY_SNAPSHOT; immediate, the other connection waits (here: gives up).
    mine.transaction(() => {
      mine.$client.prepare("select count(*) from counters").get();
      try {
        bump(other, "theirs");
      } catch (e) {
        otherWrite = e;
      }
      bump(mine, "mine");
    });
    expect(String(otherWrite)).toMatch(/database is locked/);
    expect(mine.$client.prepare("select value from counters where name = 'mine'").get()).toEqual({
      value: 1,
    });
    // a transaction may still ask to be deferred
    mine.transaction(() => bump(other, "theirs"), { behavior: "deferred" });
    mine.$client.close();
    other.$client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

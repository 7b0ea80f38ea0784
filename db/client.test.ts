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

/**
 * The server's start-up (instrumentation.ts → lib/arena/start-up.ts) is where the demo set and
 * the import recovery happen; opening the database (getDb) does nothing but open and migrate.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type ArenaDb, closeDatabase, openDatabase } from "@/db/client";
import { countPrompts } from "@/lib/arena/catalog";
import { resetEnvCache } from "@/lib/env";
import { freshPostgresUrl } from "@/tests/helpers/postgres";

const saved = { ...process.env };
const FAST_PATH = Symbol.for("arena.fastPath");
const START = Symbol.for("arena.start");
const DB = Symbol.for("arena.db");
const shared = globalThis as Record<symbol, unknown>;
let dir: string | undefined;

/**
 * Fresh modules (so getDb's database is new) on a fresh database file (or a fresh database on the
 * suite's PostgreSQL server), with these variables.
 */
async function fresh(vars: Record<string, string>) {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "arena-start-up-"));
  const url = (await freshPostgresUrl()) ?? `file:${path.join(dir, "arena.db")}`;
  process.env = {
    ...saved,
    NEXT_RUNTIME: "nodejs",
    DATABASE_URL: url,
    // the fit worker thread has tests of its own (lib/arena/fit-worker)
    ARENA_FIT_WORKER: "0",
    ...vars,
  };
  vi.resetModules();
  await closeSharedDb();
  delete shared[FAST_PATH];
  const reported: { started?: { trustProxy: number }; failed?: unknown } = {};
  shared[START] = {
    started: (s: { trustProxy: number }) => {
      reported.started = s;
    },
    failed: (e: unknown) => {
      reported.failed = e;
    },
  };
  const env = await import("@/lib/env");
  env.resetEnvCache();
  const prompts = async () => {
    const db = await openDatabase(url, { sync: "normal" });
    try {
      return await countPrompts(db);
    } finally {
      await closeDatabase(db);
    }
  };
  return { prompts, reported };
}

/** getDb's connection is one per process (db/index.ts): a fresh database needs it closed and forgotten. */
async function closeSharedDb() {
  const db = shared[DB] as Promise<ArenaDb> | undefined;
  delete shared[DB];
  // one that failed to open has nothing to close
  const opened = await db?.catch(() => undefined);
  if (opened) await closeDatabase(opened);
}

afterEach(async () => {
  await closeSharedDb();
  process.env = { ...saved };
  resetEnvCache();
  delete shared[FAST_PATH];
  delete shared[START];
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe("the server's start-up", () => {
  it("opening the database loads nothing into it", async () => {
    const { prompts } = await fresh({});
    const { getDb } = await import("@/db");
    await getDb();
    expect(await prompts()).toBe(0);
  });

  it("loads the demo set into an empty database and hands the server its settings", async () => {
    const { prompts, reported } = await fresh({ TRUST_PROXY: "2" });
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const { register } = await import("@/instrumentation");
    await register();
    expect(await prompts()).toBeGreaterThanOrEqual(40);
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/^Loaded the demo set: \d+ prompts/));
    expect(reported).toEqual({ started: { trustProxy: 2 } });
    expect(typeof shared[FAST_PATH]).toBe("function");
    log.mockRestore();
  });

  it("starts empty with ARENA_DEMO_DATA=0, and without the fast path with ARENA_FAST_PATH=0", async () => {
    const { prompts, reported } = await fresh({ ARENA_DEMO_DATA: "0", ARENA_FAST_PATH: "0" });
    const { register } = await import("@/instrumentation");
    await register();
    expect(await prompts()).toBe(0);
    expect(shared[FAST_PATH]).toBeUndefined();
    expect(reported).toEqual({ started: { trustProxy: 0 } });
  });

  it("refuses to start on a bad variable, naming it", async () => {
    for (const [name, value] of [
      ["TRUST_PROXY", "2abc"],
      ["ARENA_FAST_PATH", "off-ish"],
      ["ARENA_DB_SYNC", "fulll"],
    ]) {
      const { prompts, reported } = await fresh({ [name as string]: value as string });
      const { register } = await import("@/instrumentation");
      await expect(register(), name).rejects.toThrow(new RegExp(`${name}: `));
      expect(reported.started).toBeUndefined();
      expect(String(reported.failed)).toMatch(new RegExp(`${name}: `));
      expect(await prompts()).toBe(0);
    }
  });
});

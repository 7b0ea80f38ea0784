import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { cli } from "@/tests/helpers/cli";
import { emptyPostgresUrl } from "@/tests/helpers/postgres";

const dir = mkdtempSync(join(tmpdir(), "arena-migrate-"));
const saved = { ...process.env };

beforeAll(async () => {
  // an empty database: a new file, or a new database on the suite's PostgreSQL server
  process.env.DATABASE_URL = (await emptyPostgresUrl()) ?? `file:${join(dir, "arena.db")}`;
  resetEnvCache();
});
afterAll(() => {
  process.env = saved;
  resetEnvCache();
  rmSync(dir, { recursive: true, force: true });
});

describe("arena migrate", () => {
  it("says what is pending, applies it once, then finds nothing to do", async () => {
    const pending = await cli("migrate", "--check");
    expect(pending.code).toBe(1);
    expect(pending.stdout).toMatch(/migration\(s\) pending: 0000_init/);

    const applied = await cli("migrate");
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/^applied \d+ migration\(s\): 0000_init, /);

    expect(await cli("migrate", "--check")).toMatchObject({
      code: 0,
      stdout: "the database is up to date\n",
    });
    expect((await cli("migrate")).stdout).toMatch(/^the database is up to date \(\d+ migrations\)/);
  });
});

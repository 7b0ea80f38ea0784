import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { closeDatabase, openDatabase } from "@/db/client";
import { rows } from "@/db/rows";
import { seedDemoData } from "@/lib/arena/demo-data";
import { cliDatabasePerTest } from "@/tests/helpers/cli";
import { runCli } from ".";

const database = cliDatabasePerTest("demo");

async function run(...argv: string[]) {
  let out = "";
  const code = await runCli(argv, {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (out += s) },
  });
  return { code, out };
}

const prompts = async () => {
  const db = await openDatabase(database.url());
  try {
    return (await rows<{ n: number }>(db, sql`select count(*) as n from prompts`))[0]?.n;
  } finally {
    await closeDatabase(db);
  }
};

describe("arena remove-demo", () => {
  it("says what it would remove without --yes, and removes it with", async () => {
    const db = await openDatabase(database.url());
    await seedDemoData(db);
    await closeDatabase(db);
    const asked = await run("remove-demo");
    expect(asked.code).toBe(1);
    expect(asked.out).toMatch(/holds \d+ prompts, .* 8 models .*--yes/s);
    expect(await prompts()).toBeGreaterThan(40);

    const done = await run("remove-demo", "--yes");
    expect(done).toMatchObject({ code: 0, out: expect.stringContaining("Removed the demo set") });
    expect(await prompts()).toBe(0);
    expect(await run("remove-demo", "--yes")).toMatchObject({
      code: 0,
      out: expect.stringContaining("nothing to remove"),
    });
  });
});

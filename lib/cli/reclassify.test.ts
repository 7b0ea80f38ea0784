import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { closeDatabase, openDatabase } from "@/db/client";
import { execute, rows } from "@/db/rows";
import { addPromptItems } from "@/lib/arena/catalog";
import { cli, cliDatabasePerTest } from "@/tests/helpers/cli";

const database = cliDatabasePerTest("reclassify");

describe("arena reclassify", () => {
  it("puts every prompt through the classifier again and says what moved", async () => {
    const db = await openDatabase(database.url());
    try {
      await addPromptItems(
        db,
        [
          {
            turns: ["Solve 2x + 4 = 8"],
            language: "en",
            responses: [{ model: "m1", text: "x=2" }],
          },
          { turns: ["Name a river."], language: "en", responses: [{ model: "m1", text: "Nile" }] },
        ],
        { source: "test" },
      );
      // as an older classifier left it
      await execute(db, sql`delete from prompt_categories where category = 'math'`);
    } finally {
      await closeDatabase(db);
    }
    const out = await cli("reclassify");
    expect(out).toMatchObject({ code: 0, stderr: "" });
    expect(out.stdout).toBe(
      "Reclassified 2 prompts: 1 changed category (math +1 −0), 0 vote moves in the tallies.\n",
    );
    const check = await openDatabase(database.url());
    try {
      expect(
        await rows(check, sql`select category from prompt_categories order by category`),
      ).toEqual([{ category: "english" }, { category: "english" }, { category: "math" }]);
    } finally {
      await closeDatabase(check);
    }
  });
});

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { closeDatabase, openDatabase } from "@/db/client";
import { execute, rows } from "@/db/rows";
import { addPromptItems } from "@/lib/arena/catalog";
import { resetEnvCache } from "@/lib/env";
import { cli } from "@/tests/helpers/cli";
import { freshPostgresUrl } from "@/tests/helpers/postgres";

let dir: string;
let url: string;
const saved = process.env.DATABASE_URL;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "arena-cli-reclassify-"));
  url = (await freshPostgresUrl()) ?? `file:${path.join(dir, "arena.db")}`;
  process.env.DATABASE_URL = url;
  resetEnvCache();
});

afterEach(() => {
  if (saved === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = saved;
  resetEnvCache();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("arena reclassify", () => {
  it("puts every prompt through the classifier again and says what moved", async () => {
    const db = await openDatabase(url);
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
    const check = await openDatabase(url);
    try {
      expect(
        await rows(check, sql`select category from prompt_categories order by category`),
      ).toEqual([{ category: "english" }, { category: "english" }, { category: "math" }]);
    } finally {
      await closeDatabase(check);
    }
  });
});

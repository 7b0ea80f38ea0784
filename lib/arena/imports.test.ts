import fs from "node:fs";
import { asc, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { ArenaDb } from "@/db/client";
import { first, rows } from "@/db/rows";
import { promptCategories } from "@/db/schema";
import { parseImport } from "@/lib/import/parse";
import { testDb } from "@/tests/helpers/db";
import { sharedDataFile } from "@/tests/helpers/shared-data";
import { createBattle } from "./battles";
import { writeImport } from "./imports";
import { getLeaderboard } from "./leaderboard";
import { readTallies } from "./tallies";

const { path: REAL, present: HAS_REAL } = sharedDataFile("lmsys-2023-en-battles-with-text.jsonl");
const SETTINGS = { minVotes: 0, bootstrapRounds: 50, maxStalenessMs: 0 };

async function counts(db: ArenaDb) {
  const q = async (t: string) =>
    Number(
      (await first(rows<{ n: number }>(db, sql`select count(*) n from ${sql.identifier(t)}`)))?.n,
    );
  return {
    prompts: await q("prompts"),
    responses: await q("responses"),
    models: await q("models"),
    battles: await q("battles"),
    tallies: await q("tallies"),
  };
}

async function load(
  db: ArenaDb,
  text: string,
  opts: { votes?: boolean; dryRun?: boolean; fileName?: string } = {},
) {
  const parsed = await parseImport(text, { votes: opts.votes, fileName: opts.fileName });
  return writeImport(db, parsed, { source: "test", dryRun: opts.dryRun, fileName: opts.fileName });
}

const PROMPT_SET = [
  {
    id: "p1",
    prompt: "Solve $x^2=4$",
    tags: ["algebra"],
    responses: { "m-one": "x = ±2", "m-two": "x = 2" },
  },
  {
    id: "p2",
    turns: ["Write a haiku"],
    language: "en",
    responses: { "m-one": "old pond", "m-three": "frog jumps" },
  },
]
  .map((r) => JSON.stringify(r))
  .join("\n");

describe("writeImport", () => {
  it("imports a prompt set, classifies it, and adds nothing the second time", async () => {
    const db = await testDb();
    const first = await load(db, PROMPT_SET);
    expect(first).toMatchObject({
      format: "prompt-set",
      imported: { prompts: 2, responses: 4, models: 3, votes: 0 },
      skipped: 0,
    });
    const cats = await db
      .select({ category: promptCategories.category })
      .from(promptCategories)
      .where(eq(promptCategories.promptId, 1))
      .orderBy(asc(promptCategories.category));
    expect(cats.map((c) => c.category)).toEqual(["algebra", "english", "math"]);
    const again = await load(db, PROMPT_SET);
    expect(again.imported).toEqual({ prompts: 0, responses: 0, models: 0, votes: 0 });
    expect(again.skipped).toBe(2);
    expect((await createBattle(db, "voter-aaaaaaaaaaaaaaaa")).a.text).toBeTruthy();
  });

  it("imports response rows from CSV", async () => {
    const db = await testDb();
    const csv =
      'prompt_id,prompt,model,response,tags\nq1,"What is 2+2?",alpha,4,math\nq1,"What is 2+2?",beta,"Four, I think",math\n';
    const r = await load(db, csv, { fileName: "rows.csv" });
    expect(r).toMatchObject({
      format: "response-rows",
      imported: { prompts: 1, responses: 2, models: 2 },
    });
  });

  it("keeps the file's name without its control characters (PostgreSQL refuses a NUL)", async () => {
    const db = await testDb();
    const csv = 'prompt_id,prompt,model,response\nq1,"2+2?",alpha,4\n';
    await load(db, csv, { fileName: "rows\u0000\n.csv" });
    const row = await first(rows<{ f: string }>(db, sql`select file_name f from imports`));
    expect(row?.f).toBe("rows.csv");
  });

  it("records battle winners as historical votes with ?votes, idempotently", async () => {
    const db = await testDb();
    const battles = [
      {
        model_a: "alpha",
        model_b: "beta",
        prompt: "Hi",
        response_a: "Hello!",
        response_b: "Hey",
        winner: "model_a",
      },
      {
        model_a: "beta",
        model_b: "alpha",
        prompt: "Compute 3*3",
        response_a: "9",
        response_b: "6",
        winner: "tie (bothbad)",
      },
    ]
      .map((r) => JSON.stringify(r))
      .join("\n");
    const r = await load(db, battles, { votes: true });
    expect(r.imported).toEqual({ prompts: 2, responses: 4, models: 2, votes: 2 });
    const overall = await readTallies(db, "overall");
    expect(overall.reduce((s, t) => s + t.winsA + t.bothBad, 0)).toBe(2);
    expect((await readTallies(db, "math")).reduce((s, t) => s + t.bothBad, 0)).toBe(1);
    const again = await load(db, battles, { votes: true });
    expect(again.imported.votes).toBe(0);
    expect((await readTallies(db, "overall")).reduce((s, t) => s + t.winsA + t.bothBad, 0)).toBe(2);
  });

  it("imports FastChat votes without text into a placeholder that is never drawn", async () => {
    const db = await testDb();
    const r = await load(
      db,
      "model_a,model_b,winner\nalpha,beta,model_a\nalpha,beta,model_a\nbeta,gamma,tie\n",
      { fileName: "v.csv" },
    );
    expect(r).toMatchObject({ format: "votes", imported: { votes: 3, models: 3, prompts: 0 } });
    expect((await readTallies(db, "overall")).reduce((s, t) => s + t.winsA + t.ties, 0)).toBe(3);
    await expect(createBattle(db, "voter-aaaaaaaaaaaaaaaa")).rejects.toThrow(
      expect.objectContaining({ code: "arena_empty" }),
    );
    expect((await getLeaderboard(db, {}, SETTINGS)).rows[0]?.model).toBe("alpha");
  });

  it("a dry run reports the same counts and writes nothing", async () => {
    const db = await testDb();
    const before = await counts(db);
    const dry = await load(db, PROMPT_SET, { dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, imported: { prompts: 2, responses: 4, models: 3 } });
    expect(await counts(db)).toEqual(before);
  });

  it("refuses a broken file whole: nothing written", async () => {
    const db = await testDb();
    await load(db, PROMPT_SET);
    const before = await counts(db);
    const broken = `${JSON.stringify({ prompt: "ok", responses: { a: "x", b: "y" } })}\n${JSON.stringify({ prompt: "bad", responses: { a: "" } })}\n`;
    await expect(load(db, broken)).rejects.toMatchObject({ line: 2 });
    expect(await counts(db)).toEqual(before);
  });

  it.skipIf(!HAS_REAL)("imports the real battles file as is, with its votes", async () => {
    const db = await testDb();
    const text = fs.readFileSync(REAL, "utf8");
    const r = await load(db, text, { votes: true, fileName: "battles.jsonl" });
    expect(r.format).toBe("battles");
    expect(r.imported.votes).toBe(1756);
    expect(r.imported.models).toBe(8);
    expect(r.imported.prompts).toBeGreaterThan(1600);
    expect(
      (await readTallies(db, "overall")).reduce(
        (s, t) => s + t.winsA + t.winsB + t.ties + t.bothBad,
        0,
      ),
    ).toBe(1756);
    const again = await load(db, text, { votes: true });
    expect(again.imported).toEqual({ prompts: 0, responses: 0, models: 0, votes: 0 });
  });
});

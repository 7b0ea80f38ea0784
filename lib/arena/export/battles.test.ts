import { describe, expect, it } from "vitest";
import { castVote, createBattle } from "@/lib/arena/battles";
import { setVoterExcluded } from "@/lib/arena/voter-review";
import { CsvScanner } from "@/lib/import/csv";
import { parseImport } from "@/lib/import/parse";
import { seededRng, seedPrompts, testDb } from "@/tests/helpers/db";
import { exportBattles, judgePseudonym } from "./battles";

/** The whole export, as one text. */
async function collect(chunks: AsyncIterable<string>): Promise<string> {
  let out = "";
  for await (const chunk of chunks) out += chunk;
  return out;
}

async function votedDb(n: number) {
  const db = await testDb();
  await seedPrompts(db, 8, ["m1", "m2", "m3"], {
    text: (i) => `Solve ${i} + ${i} = x, "quoted", with, commas`,
  });
  const rng = seededRng(5);
  for (let i = 0; i < n; i++) {
    const voterId = `voter-${i % 2}-aaaaaaaaaaaaaaaa`;
    const { id } = await createBattle(db, voterId, { rng });
    await castVote(db, {
      battleId: id,
      voterId,
      winner: (["a", "b", "tie", "bothbad"] as const)[i % 4] ?? "a",
      ttlMs: 3_600_000,
    });
  }
  await createBattle(db, "voter-unvoted-aaaaaaaaaaaa", { rng });
  return db;
}

describe("exportBattles", () => {
  it("writes FastChat clean_battle records for every voted battle, excluded ones marked", async () => {
    const db = await votedDb(2500);
    await setVoterExcluded(db, "voter-1-aaaaaaaaaaaaaaaa", true);
    const records = JSON.parse(await collect(exportBattles(db, "fastchat")));
    expect(records).toHaveLength(2500);
    const r = records[0];
    expect(Object.keys(r)).toEqual(
      expect.arrayContaining([
        "model_a",
        "model_b",
        "winner",
        "tstamp",
        "judge",
        "anony",
        "language",
        "turn",
        "conversation_a",
        "conversation_b",
        "categories",
        "category_tag",
      ]),
    );
    const winners = new Set(records.map((x: { winner: string }) => x.winner));
    expect([...winners].sort()).toEqual(["model_a", "model_b", "tie", "tie (bothbad)"]);
    const judges = new Set(records.map((x: { judge: string }) => x.judge));
    expect(judges).toEqual(
      new Set(["voter-0-aaaaaaaaaaaaaaaa", "voter-1-aaaaaaaaaaaaaaaa"].map(judgePseudonym)),
    );
    expect(JSON.stringify(records)).not.toContain("voter-0-aaaaaaaaaaaaaaaa");
    expect(r.conversation_a[0]).toEqual({
      role: "user",
      content: expect.stringContaining("Solve"),
    });
    expect(r.language).toBe("English");
    expect(r.categories).toContain("math");
    expect(r.category_tag["math_v0.1"]).toEqual({ math: true });
    expect(records.filter((x: { excluded: boolean }) => x.excluded)).toHaveLength(1250);
    const times = records.map((x: { tstamp: number }) => x.tstamp);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it("writes CSV with quoting that survives commas, quotes and newlines", async () => {
    const db = await votedDb(5);
    const csv = await collect(exportBattles(db, "csv"));
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "question_id,tstamp,model_a,model_b,winner,judge,language,categories,identity_leak,excluded,prompt,response_a,response_b",
    );
    expect(lines).toHaveLength(6);
    expect(lines[1]).toMatch(/,"Solve \d+ \+ \d+ = x, ""quoted"", with, commas",/);
  });

  it("neutralises formula-like text cells in the CSV, and the import reads them back as written", async () => {
    const db = await testDb();
    const hostile = ['=HYPERLINK("http://evil.example/?x","click")', "-1+2", "@SUM(1+1)"];
    await seedPrompts(db, 3, hostile, {
      text: (i) => ["+ a list item first", "=1+1 is the question", "- bullets\n- more"][i] ?? "",
    });
    const rng = seededRng(2);
    for (let i = 0; i < 6; i++) {
      const { id } = await createBattle(db, "voter-csv-aaaaaaaaaaaaaaaa", { rng });
      await castVote(db, {
        battleId: id,
        voterId: "voter-csv-aaaaaaaaaaaaaaaa",
        winner: "a",
        ttlMs: 3_600_000,
      });
    }
    const csv = await collect(exportBattles(db, "csv"));
    const scanner = new CsvScanner();
    scanner.push(csv);
    const cells: string[] = [];
    for (let r = scanner.next(true); r !== null; r = scanner.next(true)) cells.push(...r.fields);
    // no cell a spreadsheet would run; the numbers (tstamp) stay numbers
    expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
    expect(cells.filter((c) => /^\d+(\.\d+)?$/.test(c)).length).toBeGreaterThanOrEqual(6);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example/?x"",""click"")"`);

    const back = await parseImport(csv, { votes: true });
    expect(back.votes).toHaveLength(6);
    expect(new Set(back.votes.flatMap((v) => [v.modelA, v.modelB]))).toEqual(
      new Set(back.items.flatMap((it) => it.responses.map((r) => r.model))),
    );
    for (const v of back.votes)
      expect(hostile).toEqual(expect.arrayContaining([v.modelA, v.modelB]));
    expect(new Set(back.items.map((it) => it.turns[0]))).toEqual(
      new Set(["+ a list item first", "=1+1 is the question", "- bullets\n- more"]),
    );
  });
});

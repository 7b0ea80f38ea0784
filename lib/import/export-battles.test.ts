import { describe, expect, it } from "vitest";
import { castVote, createBattle } from "@/lib/arena/battles";
import { setVoterExcluded } from "@/lib/arena/voters";
import { seededRng, seedPrompts, testDb } from "@/tests/helpers/db";
import { exportBattles, judgePseudonym } from "./export-battles";

function votedDb(n: number) {
  const db = testDb();
  seedPrompts(db, 8, ["m1", "m2", "m3"], {
    text: (i) => `Solve ${i} + ${i} = x, "quoted", with, commas`,
  });
  const rng = seededRng(5);
  for (let i = 0; i < n; i++) {
    const voterId = `voter-${i % 2}-aaaaaaaaaaaaaaaa`;
    const { id } = createBattle(db, voterId, { rng });
    castVote(db, {
      battleId: id,
      voterId,
      winner: (["a", "b", "tie", "bothbad"] as const)[i % 4] ?? "a",
      ttlMs: 3_600_000,
    });
  }
  createBattle(db, "voter-unvoted-aaaaaaaaaaaa", { rng });
  return db;
}

describe("exportBattles", () => {
  it("writes FastChat clean_battle records for every voted battle, excluded ones marked", () => {
    const db = votedDb(2500);
    setVoterExcluded(db, "voter-1-aaaaaaaaaaaaaaaa", true);
    const records = JSON.parse([...exportBattles(db, "fastchat")].join(""));
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

  it("writes CSV with quoting that survives commas, quotes and newlines", () => {
    const db = votedDb(5);
    const csv = [...exportBattles(db, "csv")].join("");
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "question_id,tstamp,model_a,model_b,winner,judge,language,categories,identity_leak,excluded,prompt,response_a,response_b",
    );
    expect(lines).toHaveLength(6);
    expect(lines[1]).toMatch(/,"Solve \d+ \+ \d+ = x, ""quoted"", with, commas",/);
  });
});

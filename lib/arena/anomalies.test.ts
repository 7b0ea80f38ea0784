import { describe, expect, it } from "vitest";
import { seededRng, seedPrompts, testDb } from "@/tests/helpers/db";
import { flaggedVoters } from "./anomalies";
import { castVote, createBattle } from "./battles";
import { setVoterExcluded } from "./voters";

const MODELS = ["m1", "m2", "m3", "m4", "m5", "m6"];

describe("flaggedVoters", () => {
  it("flags a voter who always picks the left side, not the honest crowd", () => {
    const db = testDb();
    seedPrompts(db, 60, MODELS);
    const rng = seededRng(21);
    const strength = (id: number) => id * 0.5;
    const vote = (voterId: string, pick: (a: number, b: number) => "a" | "b" | "tie") => {
      const battle = createBattle(db, voterId, { rng });
      const row = db.$client
        .prepare("select model_a_id a, model_b_id b from battles where id = ?")
        .get(battle.id) as { a: number; b: number };
      castVote(db, { battleId: battle.id, voterId, winner: pick(row.a, row.b), ttlMs: 3_600_000 });
    };
    const honest = (a: number, b: number) => {
      if (rng() < 0.15) return "tie" as const;
      return rng() < 1 / (1 + Math.exp(strength(b) - strength(a)))
        ? ("a" as const)
        : ("b" as const);
    };
    for (let round = 0; round < 40; round++) {
      for (let v = 0; v < 25; v++) vote(`honest-${v}-aaaaaaaaaaaaaaaa`, honest);
      vote("lefty-aaaaaaaaaaaaaaaa", () => "a");
    }
    const flagged = flaggedVoters(db);
    expect(flagged.map((f) => f.voterId)).toContain("lefty-aaaaaaaaaaaaaaaa");
    expect(flagged.find((f) => f.voterId === "lefty-aaaaaaaaaaaaaaaa")?.reason).toMatch(
      /left side/,
    );
    expect(flagged.filter((f) => f.voterId.startsWith("honest")).length).toBeLessThanOrEqual(2);
    setVoterExcluded(db, "lefty-aaaaaaaaaaaaaaaa", true);
    expect(flaggedVoters(db).find((f) => f.voterId === "lefty-aaaaaaaaaaaaaaaa")?.excluded).toBe(
      true,
    );
  });
});

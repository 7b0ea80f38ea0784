import { describe, expect, it } from "vitest";

// The endpoints read the process's configuration and database: set both before they load.
process.env.DATABASE_URL = ":memory:";
process.env.ARENA_RATE_LIMIT = "1";
process.env.ARENA_VOTER_PER_MINUTE = "3";
process.env.ARENA_DEMO_DATA = "1";
const { getDb } = await import("@/db");
const { seedDemoDataIfEmpty } = await import("@/lib/arena/demo-data");
const { signVoterId } = await import("@/lib/arena/voter-id");
const { authSecret } = await import("@/lib/env");
const { startBattle, submitVote } = await import("./battle-endpoints");

const code = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    return (e as { code: string }).code;
  }
  return "ok";
};

describe("battle and vote rate limits at the endpoints", () => {
  it("a vote that fails for another reason still counts; one over the limit counts nothing", () => {
    seedDemoDataIfEmpty(getDb());
    const voter = startBattle(undefined, "203.0.113.7").newVoterId as string;
    const cookie = signVoterId(voter, authSecret());
    const body = JSON.stringify({ winner: "a" });
    // Three votes on no battle: 404 each, and each counted (its transaction rolled back).
    for (let i = 0; i < 3; i++)
      expect(code(() => submitVote("nope", cookie, "x", body))).toBe("battle_not_found");
    expect(code(() => submitVote("nope", cookie, "x", body))).toBe("rate_limited");
    // Battles are counted apart: the voter's second of three this minute.
    expect(code(() => startBattle(cookie, "203.0.113.7"))).toBe("ok");
  });
});

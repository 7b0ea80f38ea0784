import { describe, expect, it } from "vitest";

// The endpoints read the process's configuration and database: set both before they load
// (a fresh database on the suite's PostgreSQL server when it runs on one).
const { freshPostgresUrl } = await import("@/tests/helpers/postgres");
process.env.DATABASE_URL = (await freshPostgresUrl()) ?? ":memory:";
process.env.ARENA_RATE_LIMIT = "1";
process.env.ARENA_VOTER_PER_MINUTE = "3";
process.env.ARENA_DEMO_DATA = "1";
const { getDb } = await import("@/db");
const { seedDemoDataIfEmpty } = await import("@/lib/arena/demo-data");
const { signVoterId } = await import("@/lib/arena/voter-id");
const { authSecret } = await import("@/lib/env");
const { startBattle, submitVote } = await import("./battle-endpoints");

const code = async (fn: () => Promise<unknown>): Promise<string> => {
  try {
    await fn();
  } catch (e) {
    return (e as { code: string }).code;
  }
  return "ok";
};

describe("battle and vote rate limits at the endpoints", () => {
  it("a vote that fails for another reason still counts; one over the limit counts nothing", async () => {
    await seedDemoDataIfEmpty(await getDb());
    const voter = (await startBattle(undefined, "203.0.113.7")).newVoterId as string;
    const cookie = signVoterId(voter, authSecret());
    const body = JSON.stringify({ winner: "a" });
    // Three votes on no battle: 404 each, and each counted (its transaction rolled back).
    for (let i = 0; i < 3; i++)
      expect(await code(() => submitVote("nope", cookie, "x", body))).toBe("battle_not_found");
    expect(await code(() => submitVote("nope", cookie, "x", body))).toBe("rate_limited");
    // Battles are counted apart: the voter's second of three this minute.
    expect(await code(() => startBattle(cookie, "203.0.113.7"))).toBe("ok");
  });
});

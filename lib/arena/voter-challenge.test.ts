import { solveChallenge } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/pbkdf2";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rows } from "@/db/rows";
import { testDb } from "@/tests/helpers/db";
import { createVoterChallenge, redeemVoterChallenge } from "./voter-challenge";

const SECRET = "challenge-secret-0123456789abcdef";
const LIMITS = { newVotersPerHour: 2, newVotersPerDay: 10, skipsPerHour: 10 };

async function solved(work = 50) {
  const challenge = await createVoterChallenge(SECRET, work);
  const solution = await solveChallenge({ challenge, deriveKey });
  if (!solution) throw new Error("unsolved");
  return { challenge, solution: { counter: solution.counter, derivedKey: solution.derivedKey } };
}

describe("the voter challenge", () => {
  it("makes one voter per solved challenge, within the address's allowance", async () => {
    const db = await testDb();
    const answer = await solved();
    const opts = { secret: SECRET, address: "addr", limits: LIMITS };
    await redeemVoterChallenge(db, answer, { ...opts, voterId: "v1-aaaaaaaaaaaaaaaa" });
    await expect(
      redeemVoterChallenge(db, answer, { ...opts, voterId: "v2-aaaaaaaaaaaaaaaa" }),
    ).rejects.toThrow(/already used/);
    await redeemVoterChallenge(db, await solved(), { ...opts, voterId: "v3-aaaaaaaaaaaaaaaa" });
    await expect(
      redeemVoterChallenge(db, await solved(), { ...opts, voterId: "v4-aaaaaaaaaaaaaaaa" }),
    ).rejects.toMatchObject({ code: "rate_limited" });
    expect(await rows(db, sql`select id, address from voters order by id`)).toEqual([
      { id: "v1-aaaaaaaaaaaaaaaa", address: "addr" },
      { id: "v3-aaaaaaaaaaaaaaaa", address: "addr" },
    ]);
  });

  it("refuses a wrong answer, another server's challenge and a tampered one", async () => {
    const db = await testDb();
    const opts = { secret: SECRET, address: "addr", voterId: "v-aaaaaaaaaaaaaaaa" };
    const answer = await solved();
    await expect(
      redeemVoterChallenge(
        db,
        { ...answer, solution: { ...answer.solution, derivedKey: "ab".repeat(32) } },
        opts,
      ),
    ).rejects.toThrow(/wrong/);
    await expect(
      redeemVoterChallenge(db, answer, { ...opts, secret: `${SECRET}-other` }),
    ).rejects.toThrow(/wrong/);
    const tampered = {
      ...answer,
      challenge: {
        ...answer.challenge,
        parameters: { ...answer.challenge.parameters, cost: 1 },
      },
    };
    await expect(redeemVoterChallenge(db, tampered, opts)).rejects.toThrow(/wrong/);
    expect((await rows(db, sql`select count(*) n from voters`))[0]).toEqual({
      n: 0,
    });
  });
});

import "server-only";
import type { Challenge, Solution } from "altcha-lib";
import { z } from "zod";
import { getDb } from "@/db";
import { createVoterChallenge, redeemVoterChallenge } from "@/lib/arena/voter-challenge";
import { newVoterId } from "@/lib/arena/voter-id";
import { admissionSettings, authSecret } from "@/lib/env";
import { ArenaError } from "@/lib/errors";
import { battleOptions, clientAddress } from "./limits";
import { voterFromCookie } from "./voter-cookie";

export const MAX_VOTER_BODY = 4096;

const answerSchema = z.strictObject({
  challenge: z.strictObject({
    parameters: z.record(z.string(), z.unknown()),
    signature: z.string().min(1).max(256),
  }),
  solution: z.strictObject({
    counter: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1),
    derivedKey: z.string().regex(/^[0-9a-f]{2,256}$/),
    time: z.number().optional(),
  }),
});

/** GET /api/voters/challenge: a signed proof-of-work challenge for a would-be voter. */
export function voterChallenge(): Promise<Challenge> {
  return createVoterChallenge(authSecret(), admissionSettings().challengeWork);
}

/**
 * POST /api/voters with a solved challenge: a new voter whose id the caller sets as the cookie,
 * or nothing new when the cookie already names a voter.
 */
export async function admitVoter(
  voterCookie: string | undefined,
  ip: string,
  bodyText: string,
): Promise<{ newVoterId?: string }> {
  if (voterFromCookie(voterCookie)) return {};
  let value: unknown;
  try {
    value = JSON.parse(bodyText);
  } catch {
    throw new ArenaError("invalid_request", "The request body is not valid JSON.");
  }
  const parsed = answerSchema.safeParse(value);
  if (!parsed.success) {
    throw new ArenaError(
      "invalid_request",
      "The request body is not a challenge and its solution.",
      {
        details: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
      },
    );
  }
  const voterId = newVoterId();
  await redeemVoterChallenge(
    await getDb(),
    {
      challenge: parsed.data.challenge as unknown as Challenge,
      solution: parsed.data.solution as Solution,
    },
    {
      secret: authSecret(),
      voterId,
      address: clientAddress(ip),
      limits: battleOptions().admission,
    },
  );
  return { newVoterId: voterId };
}

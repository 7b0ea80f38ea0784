import { createHmac } from "node:crypto";
import {
  type Challenge,
  createChallenge,
  randomInt,
  type Solution,
  verifySolution,
} from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/pbkdf2";
import { lt } from "drizzle-orm";
import type { ArenaDb } from "@/db/client";
import { changes } from "@/db/rows";
import { redeemedChallenges } from "@/db/schema";
import { ArenaError } from "@/lib/errors";
import { type AdmissionLimits, checkNewVoterAllowed, recordVoter } from "./admission";

/**
 * The optional proof of work before a new voter is created (ARENA_VOTER_CHALLENGE=1), with
 * ALTCHA (altcha-lib, MIT, self-hosted: no third-party service): the server signs a challenge
 * whose answer is the counter at which a PBKDF2 key starts with a given prefix; the browser
 * tries counters from 0 up (on average `work` · ¾ keys), the server checks the answer with one
 * HMAC. A cookie then costs a second or so of a browser's CPU, which a person never notices and
 * a script that wants thousands of voters pays thousands of times — on top of the per-address
 * limit on new voters. Each solved challenge makes one voter: redeemed ones are remembered
 * until they expire.
 */
export const CHALLENGE_ALGORITHM = "PBKDF2/SHA-256";
/** PBKDF2 iterations per key tried; the counter range sets the total work. */
const ITERATIONS = 1_000;
const TTL_SECONDS = 600;

/** Separate keys for signing challenges and their derived keys, both from the app secret. */
function keys(secret: string) {
  const k = (label: string) => createHmac("sha256", secret).update(label).digest("base64url");
  return { signature: k("altcha:challenge"), key: k("altcha:key") };
}

export function createVoterChallenge(secret: string, work: number): Promise<Challenge> {
  const k = keys(secret);
  return createChallenge({
    algorithm: CHALLENGE_ALGORITHM,
    cost: ITERATIONS,
    counter: randomInt(work, Math.max(1, Math.floor(work / 2))),
    deriveKey,
    expiresAt: new Date(Date.now() + TTL_SECONDS * 1000),
    hmacSignatureSecret: k.signature,
    hmacKeySignatureSecret: k.key,
  });
}

/**
 * Checks a solved challenge and creates the voter, once per challenge, within the address's
 * allowance of new voters. Refused with a clear reason otherwise.
 */
export async function redeemVoterChallenge(
  db: ArenaDb,
  input: { challenge: Challenge; solution: Solution },
  opts: {
    secret: string;
    voterId: string;
    address: string;
    limits?: AdmissionLimits;
    now?: number;
  },
): Promise<void> {
  const k = keys(opts.secret);
  let result: Awaited<ReturnType<typeof verifySolution>>;
  try {
    result = await verifySolution({
      challenge: input.challenge,
      solution: input.solution,
      deriveKey,
      hmacSignatureSecret: k.signature,
      hmacKeySignatureSecret: k.key,
    });
  } catch {
    throw new ArenaError("invalid_request", "The challenge answer is malformed.");
  }
  if (result.expired) {
    throw new ArenaError("invalid_request", "The challenge expired. Ask for a new one.");
  }
  if (!result.verified) {
    throw new ArenaError("invalid_request", "The challenge answer is wrong.");
  }
  const now = opts.now ?? Date.now();
  const expiresAt = new Date((input.challenge.parameters.expiresAt ?? now / 1000) * 1000);
  await db.transaction(async (tx) => {
    await tx.delete(redeemedChallenges).where(lt(redeemedChallenges.expiresAt, new Date(now)));
    const fresh = changes(
      await tx
        .insert(redeemedChallenges)
        .values({ signature: input.challenge.signature as string, expiresAt })
        .onConflictDoNothing(),
    );
    if (fresh === 0) {
      throw new ArenaError(
        "invalid_request",
        "This challenge was already used. Ask for a new one.",
      );
    }
    if (opts.limits) await checkNewVoterAllowed(tx, opts.address, opts.limits, now);
    await recordVoter(tx, opts.voterId, opts.address, now);
  });
}

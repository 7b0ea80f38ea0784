import "server-only";
import { z } from "zod";
import { getDb } from "@/db";
import { WINNERS } from "@/db/schema";
import { type BattleView, castVote, createBattle, type Reveal } from "@/lib/arena/battles";
import { newVoterId } from "@/lib/arena/voter-id";
import { admissionSettings, arenaSettings } from "@/lib/env";
import { ArenaError } from "@/lib/errors";
import { scheduleAnomalySweep } from "./anomaly-schedule";
import { battleOptions, clientAddress, countFailedRequest, limitedRequest } from "./limits";
import { voterFromCookie } from "./voter-cookie";

/**
 * The two hot endpoints, independent of the HTTP layer: app/api's route handlers and the
 * production fast path (lib/http/fast-path.ts) both call these, so they cannot drift apart.
 */

export const MAX_VOTE_BODY = 1024;
/** POST /api/battles takes no input; a body is tolerated up to this size. */
export const MAX_BATTLE_BODY = 1024;
const voteSchema = z.strictObject({ winner: z.enum(WINNERS) });

/**
 * POST /api/battles: a battle for the cookie's voter, or for a new voter whose id is returned to
 * be set — unless ARENA_VOTER_CHALLENGE asks new voters to solve a proof of work first.
 */
export async function startBattle(
  voterCookie: string | undefined,
  ip: string,
): Promise<{ battle: BattleView; newVoterId?: string }> {
  const known = voterFromCookie(voterCookie);
  if (!known && admissionSettings().challenge) {
    throw new ArenaError(
      "challenge_required",
      "New voters solve a short proof-of-work challenge first: GET /api/voters/challenge, then POST /api/voters.",
    );
  }
  const voterId = known ?? newVoterId();
  const address = clientAddress(ip);
  const rateLimit = limitedRequest("battle", voterId, address);
  try {
    const battle = await createBattle(await getDb(), voterId, {
      ...battleOptions(),
      address,
      newVoter: !known,
      rateLimit,
    });
    return known ? { battle } : { battle, newVoterId: voterId };
  } catch (e) {
    await countFailedRequest(rateLimit, e);
    throw e;
  }
}

/**
 * A vote that names no voter cannot be matched to its battle. Say why rather than "no such
 * battle": the browser sent no cookie (blocked, or a `Secure` one it would not keep over plain
 * http://), or one this arena did not sign (its AUTH_SECRET changed since).
 */
function noVoter(voterCookie: string | undefined): ArenaError {
  if (!voterCookie) {
    return new ArenaError(
      "voter_cookie_missing",
      "Your browser sent this vote without the arena's cookie, so it cannot be matched to your battle. " +
        "Cookies may be blocked for this site, or not kept because the page was opened over plain " +
        "http:// while the arena expects https://. Allow cookies (or use the https:// address), then start a new battle.",
    );
  }
  return new ArenaError(
    "battle_not_found",
    "Your voter cookie is not valid on this arena any more (its secret may have changed), so this battle is not yours. Start a new battle.",
  );
}

/** POST /api/battles/{id}/vote with the body's text. */
export async function submitVote(
  battleId: string,
  voterCookie: string | undefined,
  ip: string,
  bodyText: string,
): Promise<Reveal> {
  let value: unknown;
  try {
    value = bodyText.trim() === "" ? undefined : JSON.parse(bodyText);
  } catch {
    throw new ArenaError("invalid_request", "The request body is not valid JSON.");
  }
  const parsed = voteSchema.safeParse(value);
  if (!parsed.success) {
    throw new ArenaError("invalid_request", "The request body is not what this endpoint takes.", {
      details: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    });
  }
  const voterId = voterFromCookie(voterCookie);
  if (!voterId) throw noVoter(voterCookie);
  const rateLimit = limitedRequest("vote", voterId, clientAddress(ip));
  let result: Reveal;
  try {
    result = await castVote(await getDb(), {
      battleId,
      voterId,
      winner: parsed.data.winner,
      ttlMs: arenaSettings().ttlMs,
      rateLimit,
    });
  } catch (e) {
    await countFailedRequest(rateLimit, e);
    throw e;
  }
  scheduleAnomalySweep();
  return result;
}

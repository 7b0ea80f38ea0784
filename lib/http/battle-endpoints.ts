import "server-only";
import { z } from "zod";
import { getDb } from "@/db";
import { WINNERS } from "@/db/schema";
import { type BattleView, castVote, createBattle, type Reveal } from "@/lib/arena/battles";
import { newVoterId } from "@/lib/arena/voter-id";
import { admissionSettings, arenaSettings } from "@/lib/env";
import { ArenaError } from "@/lib/errors";
import { scheduleAnomalySweep } from "./anomaly-schedule";
import { battleOptions, clientAddress, enforceRateLimit } from "./limits";
import { voterFromCookie } from "./voter-cookie";

/**
 * The two hot endpoints, independent of the HTTP layer: app/api's route handlers and the
 * production fast path (lib/http/fast-path.ts) both call these, so they cannot drift apart.
 */

export const MAX_VOTE_BODY = 1024;
const voteSchema = z.strictObject({ winner: z.enum(WINNERS) });

/**
 * POST /api/battles: a battle for the cookie's voter, or for a new voter whose id is returned to
 * be set — unless ARENA_VOTER_CHALLENGE asks new voters to solve a proof of work first.
 */
export function startBattle(
  voterCookie: string | undefined,
  ip: string,
): { battle: BattleView; newVoterId?: string } {
  const known = voterFromCookie(voterCookie);
  if (!known && admissionSettings().challenge) {
    throw new ArenaError(
      "challenge_required",
      "New voters solve a short proof-of-work challenge first: GET /api/voters/challenge, then POST /api/voters.",
    );
  }
  const voterId = known ?? newVoterId();
  enforceRateLimit("battle", voterId, ip);
  const battle = createBattle(getDb(), voterId, {
    ...battleOptions(),
    address: clientAddress(ip),
    newVoter: !known,
  });
  return known ? { battle } : { battle, newVoterId: voterId };
}

/** POST /api/battles/{id}/vote with the body's text. */
export function submitVote(
  battleId: string,
  voterCookie: string | undefined,
  ip: string,
  bodyText: string,
): Reveal {
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
  if (!voterId) throw new ArenaError("battle_not_found", "No such battle for this voter.");
  enforceRateLimit("vote", voterId, ip);
  const result = castVote(getDb(), {
    battleId,
    voterId,
    winner: parsed.data.winner,
    ttlMs: arenaSettings().ttlMs,
  });
  scheduleAnomalySweep();
  return result;
}

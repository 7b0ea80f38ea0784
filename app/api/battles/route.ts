import type { NextRequest } from "next/server";
import { VOTER_COOKIE } from "@/lib/arena/voter-id";
import { MAX_BATTLE_BODY, startBattle } from "@/lib/http/battle-endpoints";
import { clientIp } from "@/lib/http/limits";
import { handle, json, readText } from "@/lib/http/respond";
import { setVoterCookie } from "@/lib/http/voter-cookie";

export const dynamic = "force-dynamic";

/** A new blind battle for this voter: the prompt and two texts, never the models' names. */
export function POST(request: NextRequest) {
  return handle(async () => {
    // read (and capped) as the fast path reads it, so a chunked body gets the same 413 on both
    await readText(request, MAX_BATTLE_BODY);
    const { battle, newVoterId } = await startBattle(
      request.cookies.get(VOTER_COOKIE)?.value,
      clientIp(request),
    );
    const response = json(battle, 201);
    if (newVoterId) setVoterCookie(response, newVoterId, request.headers);
    return response;
  });
}

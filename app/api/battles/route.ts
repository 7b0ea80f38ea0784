import type { NextRequest } from "next/server";
import { getDb } from "@/db";
import { createBattle } from "@/lib/arena/battles";
import { battleOptions, clientIp, enforceRateLimit } from "@/lib/http/limits";
import { handle, json, refuseBody } from "@/lib/http/respond";
import { setVoterCookie, voterFromRequest } from "@/lib/http/voter";

export const dynamic = "force-dynamic";

/** A new blind battle for this voter: the prompt and two texts, never the models' names. */
export function POST(request: NextRequest) {
  return handle(() => {
    refuseBody(request, 1024);
    const voter = voterFromRequest(request);
    enforceRateLimit("battle", voter.id, clientIp(request));
    const response = json(createBattle(getDb(), voter.id, battleOptions()), 201);
    if (voter.isNew) setVoterCookie(response, voter.id);
    return response;
  });
}

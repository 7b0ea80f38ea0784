import type { NextRequest } from "next/server";
import { getDb } from "@/db";
import { createBattle } from "@/lib/arena/battles";
import { arenaSettings } from "@/lib/env";
import { handle, json } from "@/lib/http/respond";
import { setVoterCookie, voterFromRequest } from "@/lib/http/voter";

export const dynamic = "force-dynamic";

/** A new blind battle for this voter: the prompt and two texts, never the models' names. */
export function POST(request: NextRequest) {
  return handle(() => {
    const voter = voterFromRequest(request);
    const response = json(
      createBattle(getDb(), voter.id, { identityWords: arenaSettings().identityWords }),
      201,
    );
    if (voter.isNew) setVoterCookie(response, voter.id);
    return response;
  });
}

import { handle, json, refuseBody } from "@/lib/http/respond";
import { voterChallenge } from "@/lib/http/voter-endpoints";

export const dynamic = "force-dynamic";

/** A proof-of-work challenge to solve before POST /api/voters (ARENA_VOTER_CHALLENGE=1). */
export function GET(request: Request) {
  return handle(async () => {
    refuseBody(request, 0);
    return json(await voterChallenge());
  });
}

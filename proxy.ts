import { type NextRequest, NextResponse } from "next/server";
import { signVoterId, VOTER_COOKIE } from "@/lib/arena/voter";
import { authSecret } from "@/lib/env";
import { setVoterCookie, voterFromRequest } from "@/lib/http/voter";

/**
 * Gives a first-time visitor of the arena page an anonymous voter id before the page renders,
 * so the server can draw their first battle. The id is also put on the forwarded request, which
 * is the only way the page can see a cookie set in this same response.
 */
export function proxy(request: NextRequest) {
  const voter = voterFromRequest(request);
  if (!voter.isNew) return NextResponse.next();
  request.cookies.set(VOTER_COOKIE, signVoterId(voter.id, authSecret()));
  const response = NextResponse.next({ request: { headers: request.headers } });
  setVoterCookie(response, voter.id);
  return response;
}

export const config = { matcher: ["/"] };

import type { NextRequest } from "next/server";
import { VOTER_COOKIE } from "@/lib/arena/voter-id";
import { clientIp } from "@/lib/http/limits";
import { handle, json, readText } from "@/lib/http/respond";
import { setVoterCookie } from "@/lib/http/voter-cookie";
import { admitVoter, MAX_VOTER_BODY } from "@/lib/http/voter-endpoints";

export const dynamic = "force-dynamic";

/** A new anonymous voter for a solved challenge: `201` with the voter cookie set. */
export function POST(request: NextRequest) {
  return handle(async () => {
    const body = await readText(request, MAX_VOTER_BODY);
    const { newVoterId } = await admitVoter(
      request.cookies.get(VOTER_COOKIE)?.value,
      clientIp(request),
      body,
    );
    const response = json({ voter: newVoterId ? "created" : "existing" }, newVoterId ? 201 : 200);
    if (newVoterId) setVoterCookie(response, newVoterId, request.headers);
    return response;
  });
}

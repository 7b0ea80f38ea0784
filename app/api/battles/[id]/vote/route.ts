import type { NextRequest } from "next/server";
import { VOTER_COOKIE } from "@/lib/arena/voter-id";
import { MAX_VOTE_BODY, submitVote } from "@/lib/http/battle-endpoints";
import { clientIp } from "@/lib/http/limits";
import { handle, json, readText } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

/** The battle's one vote: `{winner}`; answers only after it is committed, with both models revealed. */
export function POST(request: NextRequest, ctx: { params: Promise<{ id: string }> }) {
  return handle(async () => {
    const { id } = await ctx.params;
    const body = await readText(request, MAX_VOTE_BODY);
    return json(
      await submitVote(id, request.cookies.get(VOTER_COOKIE)?.value, clientIp(request), body),
    );
  });
}

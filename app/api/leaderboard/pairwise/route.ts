import { snapshotEndpoint } from "@/lib/http/leaderboard-endpoints";
import { handle } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

/**
 * GET /api/leaderboard/pairwise?category=&ci=&deprecated=: battles, observed win fractions and
 * predicted win probabilities for every pair of the models shown, in the leaderboard's order.
 */
export function GET(request: Request) {
  return handle(async () => {
    const params = new URL(request.url).searchParams;
    const answer = await snapshotEndpoint("pairwise", params, request.headers, { gzip: false });
    return new Response(answer.body && new Uint8Array(Buffer.from(answer.body)), answer);
  });
}

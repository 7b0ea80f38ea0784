import { getDb } from "@/db";
import { leaderboardCsv } from "@/lib/arena/export/leaderboard-csv";
import { servedView } from "@/lib/arena/served-leaderboard";
import { leaderboardSettings } from "@/lib/env";
import { snapshotEndpoint } from "@/lib/http/leaderboard-endpoints";
import { parseLeaderboardQuery } from "@/lib/http/leaderboard-query";
import { handle } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

/**
 * GET /api/leaderboard?category=overall&ci=bootstrap|sandwich|reweighted&reweight=0|1&format=json|csv&deprecated=0|1
 * (reweight=1: LMArena's reweighted sandwich; neither ci nor reweight: the default view, LEADERBOARD_REWEIGHT):
 * the published snapshot. JSON is usually answered by the fast path (lib/http/fast-path.ts)
 * before it reaches here; the CSV is made here from the same snapshot.
 */
export function GET(request: Request) {
  return handle(async () => {
    const params = new URL(request.url).searchParams;
    const q = await parseLeaderboardQuery(params);
    if (q.format === "csv") {
      const view = await servedView(
        await getDb(),
        { category: q.category, method: q.ci, includeDeprecated: q.deprecated },
        leaderboardSettings(),
      );
      return new Response(leaderboardCsv(view), {
        headers: {
          "Content-Type": "text/csv; charset=utf-8",
          "Content-Disposition": `attachment; filename="leaderboard-${q.category}.csv"`,
          "Cache-Control": "no-store",
        },
      });
    }
    const answer = await snapshotEndpoint("view", params, request.headers, { gzip: false });
    return new Response(answer.body && new Uint8Array(Buffer.from(answer.body)), answer);
  });
}

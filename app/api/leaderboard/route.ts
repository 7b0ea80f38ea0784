import { getDb } from "@/db";
import { leaderboardCsv } from "@/lib/arena/export/leaderboard-csv";
import { getLeaderboard } from "@/lib/arena/leaderboard";
import { leaderboardSettings } from "@/lib/env";
import { parseLeaderboardQuery } from "@/lib/http/leaderboard-query";
import { handle, json } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

/** GET /api/leaderboard?category=overall&ci=bootstrap|sandwich&format=json|csv&deprecated=0|1 */
export function GET(request: Request) {
  return handle(() => {
    const q = parseLeaderboardQuery(new URL(request.url).searchParams);
    const view = getLeaderboard(
      getDb(),
      { category: q.category, ci: q.ci, includeDeprecated: q.deprecated },
      leaderboardSettings(),
    );
    if (q.format === "csv") {
      return new Response(leaderboardCsv(view), {
        headers: {
          "Content-Type": "text/csv; charset=utf-8",
          "Content-Disposition": `attachment; filename="leaderboard-${view.category}.csv"`,
          "Cache-Control": "no-store",
        },
      });
    }
    return json(view);
  });
}

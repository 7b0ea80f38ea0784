import { getDb } from "@/db";
import { servedCategories, servedView } from "@/lib/arena/served-leaderboard";
import { defaultLeaderboardMethod, leaderboardSettings } from "@/lib/env";
import type { LeaderboardQuery } from "@/lib/http/leaderboard-query";

/** What a leaderboard page shows: the published view its query asks for, and every category to switch to. */
export async function loadLeaderboard(query: LeaderboardQuery) {
  const db = await getDb();
  const view = await servedView(
    db,
    { category: query.category, method: query.ci, includeDeprecated: query.deprecated },
    leaderboardSettings(),
  );
  return {
    view,
    categories: await servedCategories(db),
    defaultMethod: defaultLeaderboardMethod(),
  };
}

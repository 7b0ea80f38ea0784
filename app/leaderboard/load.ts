import { getDb } from "@/db";
import { getLeaderboard, listCategories } from "@/lib/arena/leaderboard";
import { leaderboardSettings } from "@/lib/env";
import type { LeaderboardQuery } from "@/lib/http/leaderboard-query";

/** What a leaderboard page shows: the view its query asks for, and every category to switch to. */
export function loadLeaderboard(query: LeaderboardQuery) {
  const db = getDb();
  const view = getLeaderboard(
    db,
    { category: query.category, ci: query.ci, includeDeprecated: query.deprecated },
    leaderboardSettings(),
  );
  return { view, categories: listCategories(db) };
}

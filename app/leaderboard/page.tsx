import type { Metadata } from "next";
import { LeaderboardPage } from "@/components/leaderboard/leaderboard-page";
import { parseLeaderboardQuery } from "@/lib/http/leaderboard-query";
import { orNotFound } from "@/lib/http/page-input";
import { loadLeaderboard } from "./load";

export const metadata: Metadata = { title: "Leaderboard" };
export const dynamic = "force-dynamic";

export default async function OverallLeaderboard({ searchParams }: PageProps<"/leaderboard">) {
  const params = { ...(await searchParams), category: "overall" };
  const query = await orNotFound(() => parseLeaderboardQuery(params));
  return <LeaderboardPage query={query} {...(await loadLeaderboard(query))} />;
}

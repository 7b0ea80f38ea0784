import type { Metadata } from "next";
import { LeaderboardPage } from "@/components/leaderboard/leaderboard-page";
import { parseLeaderboardQuery } from "@/lib/http/leaderboard-query";

export const metadata: Metadata = { title: "Leaderboard" };
export const dynamic = "force-dynamic";

export default async function OverallLeaderboard({ searchParams }: PageProps<"/leaderboard">) {
  const query = parseLeaderboardQuery({ ...(await searchParams), category: "overall" });
  return <LeaderboardPage query={query} />;
}

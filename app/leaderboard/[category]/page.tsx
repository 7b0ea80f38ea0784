import type { Metadata } from "next";
import { LeaderboardPage } from "@/components/leaderboard/leaderboard-page";
import { categoryDisplayName } from "@/lib/arena/categories";
import { parseLeaderboardQuery } from "@/lib/http/leaderboard-query";
import { decodeSegment, orNotFound } from "@/lib/http/page-input";
import { loadLeaderboard } from "../load";

export const dynamic = "force-dynamic";

export async function generateMetadata({
  params,
}: PageProps<"/leaderboard/[category]">): Promise<Metadata> {
  const { category } = await params;
  return { title: `${categoryDisplayName(decodeSegment(category))} leaderboard` };
}

export default async function CategoryLeaderboard({
  params,
  searchParams,
}: PageProps<"/leaderboard/[category]">) {
  const { category } = await params;
  const given = { ...(await searchParams), category: decodeSegment(category) };
  const query = await orNotFound(() => parseLeaderboardQuery(given));
  return <LeaderboardPage query={query} {...(await loadLeaderboard(query))} />;
}

import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { LeaderboardPage } from "@/components/leaderboard/leaderboard-page";
import { categoryDisplayName } from "@/lib/arena/categories";
import { isArenaError } from "@/lib/errors";
import { parseLeaderboardQuery } from "@/lib/http/leaderboard-query";

export const dynamic = "force-dynamic";

export async function generateMetadata({
  params,
}: PageProps<"/leaderboard/[category]">): Promise<Metadata> {
  const { category } = await params;
  return { title: `${categoryDisplayName(decodeURIComponent(category))} leaderboard` };
}

export default async function CategoryLeaderboard({
  params,
  searchParams,
}: PageProps<"/leaderboard/[category]">) {
  const { category } = await params;
  try {
    const query = parseLeaderboardQuery({
      ...(await searchParams),
      category: decodeURIComponent(category),
    });
    return <LeaderboardPage query={query} />;
  } catch (e) {
    if (isArenaError(e) && e.code === "not_found") notFound();
    throw e;
  }
}

import { versionEndpoint } from "@/lib/http/leaderboard-endpoints";
import { handle, json } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

/**
 * What open leaderboards poll: the publication number of the snapshot of ?category=&ci=, which
 * changes when the fit worker publishes a new one (not at every vote); without a category, a
 * number that changes with any publication.
 */
export function GET(request: Request) {
  return handle(async () => json(await versionEndpoint(new URL(request.url).searchParams)));
}

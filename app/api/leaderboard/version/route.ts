import { getDb } from "@/db";
import { talliesVersion } from "@/lib/arena/tallies";
import { handle, json } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

/** The number open leaderboards poll: it changes with every counted vote and every recompute. */
export function GET() {
  return handle(() => json({ version: talliesVersion(getDb()) }));
}

import { getDb } from "@/db";
import { servedCategories } from "@/lib/arena/served-leaderboard";
import { handle, json } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

/** Every category with its prompt and vote counts, as the fit worker last counted them. */
export function GET() {
  return handle(async () => json(await servedCategories(await getDb())));
}

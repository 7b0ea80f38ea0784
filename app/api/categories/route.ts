import { getDb } from "@/db";
import { listCategories } from "@/lib/arena/leaderboard";
import { handle, json } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

export function GET() {
  return handle(() => json(listCategories(getDb())));
}

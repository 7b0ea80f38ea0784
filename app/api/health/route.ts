import { getDb } from "@/db";
import { countPrompts } from "@/lib/arena/catalog";
import { handle, json } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

/** 200 once the database is open and migrated; what the test server and deploys wait on. */
export function GET() {
  return handle(async () => json({ status: "ok", prompts: await countPrompts(await getDb()) }));
}

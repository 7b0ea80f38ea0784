import { cookies } from "next/headers";
import { Arena } from "@/components/arena/arena";
import { getDb } from "@/db";
import { openBattleFor } from "@/lib/arena/battles";
import { VOTER_COOKIE } from "@/lib/arena/voter-id";
import { arenaSettings } from "@/lib/env";
import { voterFromCookie } from "@/lib/http/voter-cookie";

export const dynamic = "force-dynamic";

/**
 * Reads, never writes: a returning voter gets their open battle back (a reload does not reroll
 * the matchup); anyone else gets the page, and their browser asks for a battle. Crawlers and
 * link previews, which run no script, create no voter and no battle.
 */
export default async function ArenaPage() {
  const voterId = voterFromCookie((await cookies()).get(VOTER_COOKIE)?.value);
  const open = voterId ? await openBattleFor(await getDb(), voterId, arenaSettings().ttlMs) : null;
  return <Arena initial={open ? { kind: "battle", battle: open } : { kind: "draw" }} />;
}

import { cookies, headers } from "next/headers";
import { Arena, type ArenaInitial } from "@/components/arena/arena";
import { getDb } from "@/db";
import { createBattle } from "@/lib/arena/battles";
import { newVoterId, VOTER_COOKIE } from "@/lib/arena/voter";
import { isArenaError } from "@/lib/errors";
import { battleOptions, clientIp, enforceRateLimit } from "@/lib/http/limits";
import { voterFromCookie } from "@/lib/http/voter";

export const dynamic = "force-dynamic";

/** The first battle is drawn on the server so the page arrives ready to vote on. */
export default async function ArenaPage() {
  const jar = await cookies();
  // proxy.ts sets the cookie before this runs; the fallback only serves a client that drops it.
  const voterId = voterFromCookie(jar.get(VOTER_COOKIE)?.value) ?? newVoterId();
  let initial: ArenaInitial;
  try {
    enforceRateLimit("battle", voterId, clientIp({ headers: await headers() }));
    initial = { kind: "battle", battle: createBattle(getDb(), voterId, battleOptions()) };
  } catch (e) {
    if (!isArenaError(e)) throw e;
    initial = e.code === "arena_empty" ? { kind: "empty" } : { kind: "error", message: e.message };
  }
  return <Arena initial={initial} />;
}

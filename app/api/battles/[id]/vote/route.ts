import type { NextRequest } from "next/server";
import { z } from "zod";
import { getDb } from "@/db";
import { WINNERS } from "@/db/schema";
import { castVote } from "@/lib/arena/battles";
import { VOTER_COOKIE } from "@/lib/arena/voter";
import { arenaSettings } from "@/lib/env";
import { ArenaError } from "@/lib/errors";
import { clientIp, enforceRateLimit } from "@/lib/http/limits";
import { handle, json, readJson } from "@/lib/http/respond";
import { voterFromCookie } from "@/lib/http/voter";

export const dynamic = "force-dynamic";

const voteSchema = z.strictObject({ winner: z.enum(WINNERS) });

export function POST(request: NextRequest, ctx: { params: Promise<{ id: string }> }) {
  return handle(async () => {
    const { id } = await ctx.params;
    const { winner } = await readJson(request, voteSchema, 1024);
    const voterId = voterFromCookie(request.cookies.get(VOTER_COOKIE)?.value);
    if (!voterId) throw new ArenaError("battle_not_found", "No such battle for this voter.");
    enforceRateLimit("vote", voterId, clientIp(request));
    return json(castVote(getDb(), { battleId: id, voterId, winner, ttlMs: arenaSettings().ttlMs }));
  });
}

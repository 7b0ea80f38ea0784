import { and, asc, eq, isNotNull } from "drizzle-orm";
import type { ArenaDb } from "@/db/client";
import { battles, models, voters, type Winner } from "@/db/schema";
import { detectAnomalousVoters, type VoteRecord } from "@/lib/ranking/anomaly";
import { talliesVersion } from "./tallies";

export interface FlaggedVoter {
  voterId: string;
  votes: number;
  pValue: number;
  reason: string;
  leftShare: number;
  excluded: boolean;
}

const OUTCOME: Record<Winner, VoteRecord["outcome"]> = { a: 0, b: 1, tie: 2, bothbad: 3 };
const cache = new WeakMap<object, { version: number; flagged: FlaggedVoter[] }>();

/**
 * Voters whose votes look scripted or adversarial (see lib/ranking/anomaly.ts for the test),
 * most anomalous first. Live votes only — imported history has no real voters — and identity
 * leaks left out, as they are from the leaderboard. Cached until the tallies change.
 */
export function flaggedVoters(db: ArenaDb): FlaggedVoter[] {
  const version = talliesVersion(db);
  const cached = cache.get(db.$client);
  if (cached?.version === version) return cached.flagged;
  const rows = db
    .select({
      voter: battles.voterId,
      a: battles.modelAId,
      b: battles.modelBId,
      winner: battles.winner,
    })
    .from(battles)
    .where(
      and(isNotNull(battles.winner), eq(battles.source, "live"), eq(battles.identityLeak, false)),
    )
    .orderBy(asc(battles.votedAt))
    .all();
  const records: VoteRecord[] = rows.map((r) => ({
    voter: r.voter,
    a: r.a,
    b: r.b,
    outcome: OUTCOME[r.winner as Winner],
  }));
  const names = new Map(
    db
      .select({ id: models.id, name: models.displayName })
      .from(models)
      .all()
      .map((m) => [m.id, m.name]),
  );
  const excluded = new Set(
    db
      .select({ id: voters.id })
      .from(voters)
      .where(isNotNull(voters.excludedAt))
      .all()
      .map((v) => v.id),
  );
  const flagged = detectAnomalousVoters(records)
    .filter((v) => v.flagged)
    .map((v) => ({
      voterId: v.voter,
      votes: v.votes,
      pValue: v.pValue,
      // The detector knows models by index (here: their id); admins know them by name.
      reason:
        v.model === undefined
          ? v.reason
          : v.reason.replace(`model ${v.model}`, names.get(v.model) ?? `model ${v.model}`),
      leftShare: v.leftShare,
      excluded: excluded.has(v.voter),
    }));
  cache.set(db.$client, { version, flagged });
  return flagged;
}

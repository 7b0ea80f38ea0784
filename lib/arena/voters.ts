import { and, count, desc, eq, isNotNull, max, min, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { ArenaDb } from "@/db/client";
import { battles, models, prompts, voters, type Winner } from "@/db/schema";
import { countedBattle } from "./import-visibility";
import { recomputeTallies } from "./tallies";

export interface VoteRow {
  battleId: string;
  votedAt: Date;
  voterId: string;
  prompt: string;
  modelA: string;
  modelB: string;
  winner: Winner;
  identityLeak: boolean;
  leakReason: string | null;
  excluded: boolean;
}

export interface VoterRow {
  voterId: string;
  votes: number;
  firstVote: Date;
  lastVote: Date;
  /** Share of decisive votes that went to the left side: far from ½ over many votes hints at a script. */
  leftShare: number | null;
  excluded: boolean;
}

const modelA = alias(models, "model_a");
const modelB = alias(models, "model_b");

export function recentVotes(
  db: ArenaDb,
  opts: { voterId?: string; limit?: number } = {},
): VoteRow[] {
  return db
    .select({
      battleId: battles.id,
      votedAt: sql<Date>`${battles.votedAt}`.mapWith(battles.votedAt),
      voterId: battles.voterId,
      prompt: sql<string>`substr(${prompts.text}, 1, 160)`,
      modelA: modelA.displayName,
      modelB: modelB.displayName,
      winner: sql<Winner>`${battles.winner}`,
      identityLeak: battles.identityLeak,
      leakReason: battles.leakReason,
      excluded: battles.excluded,
    })
    .from(battles)
    .innerJoin(prompts, eq(prompts.id, battles.promptId))
    .innerJoin(modelA, eq(modelA.id, battles.modelAId))
    .innerJoin(modelB, eq(modelB.id, battles.modelBId))
    .where(
      and(
        isNotNull(battles.winner),
        countedBattle,
        opts.voterId ? eq(battles.voterId, opts.voterId) : undefined,
      ),
    )
    .orderBy(desc(battles.votedAt))
    .limit(Math.min(opts.limit ?? 50, 500))
    .all();
}

export function voterSummaries(db: ArenaDb, opts: { limit?: number } = {}): VoterRow[] {
  const rows = db
    .select({
      voterId: battles.voterId,
      votes: count(),
      firstVote: min(battles.votedAt),
      lastVote: max(battles.votedAt),
      left: sql<number>`sum(case when ${battles.winner} = 'a' then 1 else 0 end)`,
      right: sql<number>`sum(case when ${battles.winner} = 'b' then 1 else 0 end)`,
      excludedAt: voters.excludedAt,
    })
    .from(battles)
    .leftJoin(voters, eq(voters.id, battles.voterId))
    .where(and(isNotNull(battles.winner), countedBattle))
    .groupBy(battles.voterId)
    .orderBy(desc(count()))
    .limit(Math.min(opts.limit ?? 50, 500))
    .all();
  return rows.map((r) => ({
    voterId: r.voterId,
    votes: r.votes,
    firstVote: r.firstVote ?? new Date(0),
    lastVote: r.lastVote ?? new Date(0),
    leftShare: r.left + r.right > 0 ? r.left / (r.left + r.right) : null,
    excluded: r.excludedAt != null,
  }));
}

/**
 * Excludes a voter (or lets them back in): their past votes are marked and the tallies are
 * rebuilt from the battles, so the leaderboard follows; their future votes are recorded but
 * not counted.
 */
export function setVoterExcluded(
  db: ArenaDb,
  voterId: string,
  excluded: boolean,
): { votes: number } {
  const votes = db.transaction((tx) => {
    const excludedAt = excluded ? new Date() : null;
    tx.insert(voters)
      .values({ id: voterId, excludedAt })
      .onConflictDoUpdate({ target: voters.id, set: { excludedAt } })
      .run();
    return tx.update(battles).set({ excluded }).where(eq(battles.voterId, voterId)).run().changes;
  });
  recomputeTallies(db);
  return { votes };
}

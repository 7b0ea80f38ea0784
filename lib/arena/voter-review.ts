/** Voters and their votes as the admin reviews them: recent votes, per-voter figures, excluding a voter. */
import { and, count, desc, eq, isNotNull, max, min, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { ArenaDb } from "@/db/client";
import { battles, models, prompts, suspects, type Winner } from "@/db/schema";
import { ArenaError } from "@/lib/errors";
import { EXCLUDING, setSuspect } from "./exclusions";
import { countedBattle } from "./import-visibility";

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

export async function recentVotes(
  db: ArenaDb,
  opts: { voterId?: string; limit?: number } = {},
): Promise<VoteRow[]> {
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
    .limit(Math.min(opts.limit ?? 50, 500));
}

export async function voterSummaries(
  db: ArenaDb,
  opts: { limit?: number } = {},
): Promise<VoterRow[]> {
  const rows = await db
    .select({
      voterId: battles.voterId,
      votes: count(),
      firstVote: min(battles.votedAt),
      lastVote: max(battles.votedAt),
      left: sql<number>`sum(case when ${battles.winner} = 'a' then 1 else 0 end)`.mapWith(Number),
      right: sql<number>`sum(case when ${battles.winner} = 'b' then 1 else 0 end)`.mapWith(Number),
      status: suspects.status,
    })
    .from(battles)
    .leftJoin(suspects, and(eq(suspects.kind, "voter"), eq(suspects.key, battles.voterId)))
    .where(and(isNotNull(battles.winner), countedBattle))
    // The status too, which PostgreSQL wants named: one per voter, since (kind, key) is unique.
    .groupBy(battles.voterId, suspects.status)
    .orderBy(desc(count()))
    .limit(Math.min(opts.limit ?? 50, 500));
  return rows.map((r) => ({
    voterId: r.voterId,
    votes: r.votes,
    firstVote: r.firstVote ?? new Date(0),
    lastVote: r.lastVote ?? new Date(0),
    leftShare: r.left + r.right > 0 ? r.left / (r.left + r.right) : null,
    excluded: r.status != null && EXCLUDING.includes(r.status),
  }));
}

/**
 * Excludes a voter (or lets them back in, also after an automatic flag): their past votes are
 * marked and the tallies moved by exactly those votes, in one transaction; their future votes
 * are recorded but not counted.
 */
export async function setVoterExcluded(
  db: ArenaDb,
  voterId: string,
  excluded: boolean,
  decidedBy: string | null = null,
): Promise<{ votes: number }> {
  if (voterId.startsWith("import:")) {
    throw new ArenaError(
      "invalid_request",
      "Imported votes keep the exclusions of their file; only live voters can be excluded here.",
    );
  }
  const { changed } = await setSuspect(db, {
    kind: "voter",
    key: voterId,
    status: excluded ? "excluded" : "cleared",
    reason: excluded ? "excluded by an admin" : "let back in by an admin",
    decidedBy,
  });
  return { votes: changed };
}

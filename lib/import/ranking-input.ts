/**
 * Votes the import read (lib/import/parse.ts) turned into the ranking engine's input, for a
 * leaderboard straight from a file (`arena leaderboard --battles`, the FastChat parity test).
 * The file goes through the same reader as an admin import, so both accept and refuse exactly
 * the same files; only what a vote becomes differs.
 */
import type { Matchup } from "@/lib/ranking/types";
import { WINNER, WINNERS, type Winner } from "@/lib/winner";
import { ImportError, type ImportSource, parseImport } from "./parse";
import type { HistoricalVote, ParsedImport } from "./types";

export interface RankingInput {
  /**
   * Model names in FastChat's order — pd.factorize over model_a then model_b: first seen as
   * model_a, then those only ever seen as model_b. Indices in `matchups` and `votes` refer to
   * this list, so tables and outputs list models in the order FastChat's notebooks do.
   */
  models: string[];
  /** Outcome counts per ordered (model_a, model_b) pair, sorted by (a, b). */
  matchups: Matchup[];
  /** The votes in file order (one `WINNER[w].code` each), for online Elo. */
  votes: { a: Int32Array; b: Int32Array; outcome: Uint8Array };
}

/**
 * A vote the voter cast knowing the models (FastChat's `anony: false`) or that an export marked
 * `excluded`: kept by the import, never counted. FastChat's leaderboard leaves the same ones out.
 */
export function isExcludedVote(v: Pick<HistoricalVote, "excluded" | "anony">): boolean {
  return v.excluded === true || v.anony === false;
}

/** Whether a vote counts in a leaderboard: not excluded, and no model named in the conversation. */
export function countsInRanking(
  v: Pick<HistoricalVote, "excluded" | "anony" | "identityLeak">,
): boolean {
  return !isExcludedVote(v) && v.identityLeak !== true;
}

type RankedVote = Pick<HistoricalVote, "modelA" | "modelB" | "winner">;

/** The votes, in order, as index-based ranking input. */
export function rankingInput(votes: readonly RankedVote[]): RankingInput {
  const count = votes.length;
  // FastChat's order: by first appearance as model_a, then by first appearance as model_b
  const asA = new Map<string, number>();
  const asB = new Map<string, number>();
  votes.forEach((v, i) => {
    if (!asA.has(v.modelA)) asA.set(v.modelA, i);
    if (!asB.has(v.modelB)) asB.set(v.modelB, i);
  });
  const models = [...asA.keys(), ...[...asB.keys()].filter((m) => !asA.has(m))];
  const index = new Map(models.map((m, i) => [m, i]));
  const a = new Int32Array(count);
  const b = new Int32Array(count);
  const outcome = new Uint8Array(count);
  votes.forEach((v, i) => {
    a[i] = index.get(v.modelA) as number;
    b[i] = index.get(v.modelB) as number;
    outcome[i] = WINNER[v.winner].code;
  });
  return { models, matchups: tallyVotes(models.length, a, b, outcome), votes: { a, b, outcome } };
}

/** Outcome counts per ordered pair from a vote sequence, sorted by (a, b). */
function tallyVotes(n: number, a: Int32Array, b: Int32Array, outcome: Uint8Array): Matchup[] {
  const cells = new Map<number, Matchup>();
  for (let v = 0; v < a.length; v++) {
    const key = (a[v] as number) * n + (b[v] as number);
    let cell = cells.get(key);
    if (!cell) {
      cell = { a: a[v] as number, b: b[v] as number, winsA: 0, winsB: 0, ties: 0, bothBad: 0 };
      cells.set(key, cell);
    }
    cell[WINNER[WINNERS[outcome[v] as number] as Winner].count]++;
  }
  return [...cells.keys()].sort((x, y) => x - y).map((key) => cells.get(key) as Matchup);
}

/**
 * A file's votes read exactly as the admin import (and `arena import-battles`) reads them with
 * votes on: a votes file (model_a, model_b, winner) or battles with text, whose texts are
 * checked as an import checks them. A file of prompts and responses alone has no votes: refused.
 * No size limit: this is a local file, not an upload.
 */
export async function readVotesFile(
  source: ImportSource,
  fileName?: string,
): Promise<ParsedImport> {
  const parsed = await parseImport(source, {
    votes: true,
    fileName,
    maxBytes: Number.POSITIVE_INFINITY,
  });
  if (parsed.format !== "votes" && parsed.format !== "battles") {
    throw new ImportError(
      `this is a ${parsed.format} file, which holds no votes: a votes file has model_a, model_b and winner`,
      { code: "unknown_format" },
    );
  }
  return parsed;
}

/**
 * Format 4, `votes`: FastChat votes without text, from a CSV `model_a,model_b,winner[,…]` or
 * clean_battle JSON/JSONL. Identical records are NOT skipped here: without text or a
 * timestamp, two `gpt-4,claude-v1,model_a` rows are two real votes. They get distinct keys.
 */

import { z } from "zod";
import { digest, OccurrenceCounter } from "../digest";
import { modelName, validate } from "../fields";
import type { HistoricalVote } from "../types";
import type { FormatSpec } from "./types";
import { checkDistinctModels, toVote, voteShape } from "./vote-fields";

const voteRecord = z.object({ model_a: modelName, model_b: modelName, ...voteShape });

export const votesFormat: FormatSpec = {
  format: "votes",
  csvColumns: ["model_a", "model_b", "winner"],
  collector() {
    let votes: HistoricalVote[] = [];
    const occurrences = new OccurrenceCounter();
    return {
      get pending() {
        return votes.length;
      },
      drain() {
        const batch = { items: [], votes };
        votes = [];
        return batch;
      },
      add({ value, at, source }) {
        const r = validate(voteRecord, value, at);
        checkDistinctModels(r.model_a, r.model_b, at);
        const fingerprint = digest(source);
        const n = occurrences.next(fingerprint);
        votes.push(toVote(r.model_a, r.model_b, r, n === 0 ? fingerprint : `${fingerprint}.${n}`));
      },
      finish: () => ({ items: [], votes, skipped: 0 }),
    };
  },
};

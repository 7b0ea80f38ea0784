/**
 * Battles with text (format `battles`) as style control's input, for a style-controlled
 * leaderboard straight from a file (`arena leaderboard --battles FILE --style`) and the
 * style parity test: the votes exactly as rankingInput reads them, plus each vote's style
 * differences from the two responses it was cast on.
 */
import { type StyleVotes, writeStyleDifference } from "@/lib/ranking/style-data";
import { styleFeatures } from "@/lib/ranking/style-features";
import { ImportError } from "./parse";
import { type RankingInput, rankingInput } from "./ranking-input";
import type { HistoricalVote, ParsedImport } from "./types";

export interface StyleRankingInput extends RankingInput {
  style: StyleVotes;
}

/**
 * The counted votes of a parsed battles file with their style differences. A vote without its
 * battle's text (a votes file) cannot be style-controlled: refused. A record's text is its
 * first exchange (see formats/conversation.ts), so that is what the features are counted on.
 */
export function styleRankingInput(
  parsed: ParsedImport,
  counts: (v: HistoricalVote) => boolean = () => true,
): StyleRankingInput {
  const votes = parsed.votes.filter(counts);
  const input = rankingInput(votes);
  const differences = new Float64Array(votes.length * 4);
  const cache = new Map<number, ReturnType<typeof styleFeatures>[]>();
  votes.forEach((v, i) => {
    const item = v.item === undefined ? undefined : parsed.items[v.item];
    if (item === undefined)
      throw new ImportError(
        "style control needs the responses each vote was cast on: give battles with text (prompt, response_a, response_b)",
        { code: "unknown_format" },
      );
    let features = cache.get(v.item as number);
    if (!features) {
      features = item.responses.map((r) => styleFeatures(r.text));
      cache.set(v.item as number, features);
    }
    const side = (model: string) => {
      const at = item.responses.findIndex((r) => r.model === model);
      if (at < 0) throw new ImportError(`vote ${i}: no response of ${model} in its battle`);
      return features[at] as ReturnType<typeof styleFeatures>;
    };
    writeStyleDifference(side(v.modelA), side(v.modelB), differences, 4 * i);
  });
  return {
    ...input,
    style: { a: input.votes.a, b: input.votes.b, outcome: input.votes.outcome, differences },
  };
}

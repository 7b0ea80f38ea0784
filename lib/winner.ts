/**
 * The four outcomes of a vote, in one place: the type every layer uses (`Winner`, the value the
 * database stores and the API sends as `winner`), and one table of how each is written
 * elsewhere. Anything that needs another spelling (a ranking code, a tally column, FastChat's
 * word, a label on screen) reads it from `WINNER` rather than keeping its own map.
 */

/** In code order: `WINNERS[WINNER[w].code] === w`. */
export const WINNERS = ["a", "b", "tie", "bothbad"] as const;
export type Winner = (typeof WINNERS)[number];

/** The columnar code of a vote in the ranking engine's vote sequences (see lib/ranking/types). */
export type WinnerCode = 0 | 1 | 2 | 3;

interface WinnerSpellings {
  code: WinnerCode;
  /** The field of a pair's counts (the ranking's `Matchup`, the `tallies` table) this outcome adds to. */
  count: "winsA" | "winsB" | "ties" | "bothBad";
  /** FastChat's vocabulary (clean_battle files, our export). */
  fastChat: "model_a" | "model_b" | "tie" | "tie (bothbad)";
  /** Short label for admin tables. */
  label: string;
}

export const WINNER = {
  a: { code: 0, count: "winsA", fastChat: "model_a", label: "A" },
  b: { code: 1, count: "winsB", fastChat: "model_b", label: "B" },
  tie: { code: 2, count: "ties", fastChat: "tie", label: "Tie" },
  bothbad: { code: 3, count: "bothBad", fastChat: "tie (bothbad)", label: "Both bad" },
} as const satisfies Record<Winner, WinnerSpellings>;

export type FastChatWinner = (typeof WINNER)[Winner]["fastChat"];

/** FastChat's words in code order: `model_a, model_b, tie, tie (bothbad)`. */
export const FASTCHAT_WINNERS: readonly FastChatWinner[] = WINNERS.map((w) => WINNER[w].fastChat);

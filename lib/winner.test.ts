import { describe, expect, it } from "vitest";
import { parseWinner } from "./import/winner";
import { FASTCHAT_WINNERS, WINNER, WINNERS } from "./winner";

describe("the outcome table", () => {
  it("gives each outcome one code, one count field, one FastChat word and one label", () => {
    for (const field of ["code", "count", "fastChat", "label"] as const) {
      expect(new Set(WINNERS.map((w) => WINNER[w][field])).size).toBe(WINNERS.length);
    }
    WINNERS.forEach((w, i) => {
      expect(WINNER[w].code).toBe(i);
    });
    expect(FASTCHAT_WINNERS).toEqual(["model_a", "model_b", "tie", "tie (bothbad)"]);
  });

  it("reads back every spelling it writes", () => {
    for (const w of WINNERS) {
      expect(parseWinner(w)).toBe(w);
      expect(parseWinner(WINNER[w].fastChat)).toBe(w);
    }
  });
});

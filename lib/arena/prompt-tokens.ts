/**
 * A prompt's length in cl100k_base tokens (the encoding LMArena and FastChat count with), summed
 * over its user turns. Text that looks like a special token (`<|endoftext|>`) is counted as the
 * ordinary text it is: a prompt is never read as control tokens, and gpt-tokenizer would
 * otherwise refuse it.
 *
 * gpt-tokenizer's cost grows with the square of a run without word breaks (100 kB of spaces take
 * seconds), so a turn longer than CHUNK characters is counted in pieces cut at a line or space
 * break, which can differ from the whole count by a token per cut; and counting stops once `atLeast`
 * is reached (all `longer-query` needs to know).
 */
import { countTokens } from "gpt-tokenizer/encoding/cl100k_base";

const ORDINARY = { allowedSpecial: new Set<string>(), disallowedSpecial: new Set<string>() };
const CHUNK = 4000;

export function promptTokens(turns: string[], atLeast = Number.POSITIVE_INFINITY): number {
  let n = 0;
  for (const turn of turns) {
    for (let from = 0; from < turn.length && n < atLeast; ) {
      let to = Math.min(turn.length, from + CHUNK);
      if (to < turn.length) {
        const cut = Math.max(turn.lastIndexOf("\n", to), turn.lastIndexOf(" ", to));
        if (cut > from + CHUNK / 2) to = cut;
      }
      n += countTokens(turn.slice(from, to), ORDINARY);
      from = to;
    }
    if (n >= atLeast) return n;
  }
  return n;
}

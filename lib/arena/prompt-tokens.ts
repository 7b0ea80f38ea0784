/**
 * A prompt's length in cl100k_base tokens (the encoding LMArena and FastChat count with), summed
 * over its user turns. Text that looks like a special token (`<|endoftext|>`) is counted as the
 * ordinary text it is: a prompt is never read as control tokens, and gpt-tokenizer would
 * otherwise refuse it.
 */
import { countTokens } from "gpt-tokenizer/encoding/cl100k_base";

const ORDINARY = { allowedSpecial: new Set<string>(), disallowedSpecial: new Set<string>() };

export function promptTokens(turns: string[]): number {
  let n = 0;
  for (const turn of turns) n += countTokens(turn, ORDINARY);
  return n;
}

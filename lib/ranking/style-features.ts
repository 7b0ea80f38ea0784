/**
 * Style features of one side of a battle — what style control (lib/ranking/style-control.ts)
 * regresses votes on — counted exactly as FastChat counts them, so a fit on our features is a
 * fit on FastChat's:
 * - tokens: cl100k_base tokens of each assistant turn, summed (FastChat's clean_battle_data
 *   encodes every turn with tiktoken's gpt-3.5-turbo encoding, `allowed_special="all"`);
 * - headers, list items, bold spans: FastChat's add_markdown_info regexes on the assistant
 *   turns joined by "\n", after its code removal.
 * Stored per response at import (the `style` column), so a refit never re-reads text.
 */
import { countTokens } from "gpt-tokenizer/encoding/cl100k_base";

export interface StyleFeatures {
  tokens: number;
  headers: number;
  listItems: number;
  bold: number;
}

/**
 * cl100k_base's special tokens as tiktoken defines them. gpt-tokenizer adds ChatML's <|im_*|>
 * to its table and, in 3.4, miscounts an allowed special token after the first, so special
 * tokens are split off here (each is one token, as with tiktoken's allowed_special="all") and
 * gpt-tokenizer only ever sees ordinary text.
 */
const SPECIAL =
  /<\|endoftext\|>|<\|fim_prefix\|>|<\|fim_middle\|>|<\|fim_suffix\|>|<\|endofprompt\|>/g;
const ORDINARY = { allowedSpecial: new Set<string>(), disallowedSpecial: new Set<string>() };

/** tiktoken's `len(cl100k_base.encode(text, allowed_special="all"))`. */
export function cl100kTokens(text: string): number {
  let count = 0;
  let from = 0;
  for (const m of text.matchAll(SPECIAL)) {
    if (m.index > from) count += countTokens(text.slice(from, m.index), ORDINARY);
    count += 1;
    from = m.index + m[0].length;
  }
  if (from < text.length) count += countTokens(from === 0 ? text : text.slice(from), ORDINARY);
  return count;
}

// Python's `re` on str, spelled out for JS: `\s` is str.isspace() (JS's \s lacks \x1c–\x1f and
// \x85 and adds \ufeff), `\d` any Unicode decimal digit, and MULTILINE `^` starts a line only
// after "\n" (JS's m flag also after \r, \u2028, \u2029).
const S =
  "[\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
const LINE_START = "(?:^|(?<=\\n))";
/** `^#{k}\s` for k = 1..6, counted separately by FastChat; at most one k fits a line start. */
const HEADER = new RegExp(`${LINE_START}#{1,6}${S}`, "gu");
const ORDERED = new RegExp(`${LINE_START}${S}*\\p{Nd}+\\.${S}`, "gu");
const UNORDERED = new RegExp(`${LINE_START}${S}*[-*+]${S}`, "gu");
const BOLD_STARS = /\*\*[^*\n]+\*\*/gu;
const BOLD_UNDERSCORES = /__[^_\n]+__/gu;
/** FastChat's code pattern; it has one group, so `findall` yields the code between the fences. */
const CODE = /```([^`]*)```/gu;

const count = (re: RegExp, text: string) => {
  let n = 0;
  for (const _ of text.matchAll(re)) n++;
  return n;
};

/**
 * FastChat's remove_pattern: every code span found in the original text is then deleted
 * (all its occurrences, in order) with str.replace — the fences themselves stay.
 */
function withoutCode(text: string): string {
  let out = text;
  for (const m of text.matchAll(CODE)) {
    const inner = m[1] as string;
    if (inner !== "") out = out.replaceAll(inner, "");
  }
  return out;
}

/**
 * The features of one side of a battle from its assistant turns (one string for a single
 * response). Markdown is counted on the turns joined by "\n", tokens per turn and summed.
 */
export function styleFeatures(assistantTurns: string | readonly string[]): StyleFeatures {
  const turns = typeof assistantTurns === "string" ? [assistantTurns] : assistantTurns;
  let tokens = 0;
  for (const t of turns) tokens += cl100kTokens(t);
  const text = withoutCode(turns.join("\n"));
  return {
    tokens,
    headers: count(HEADER, text),
    listItems: count(ORDERED, text) + count(UNORDERED, text),
    bold: count(BOLD_STARS, text) + count(BOLD_UNDERSCORES, text),
  };
}

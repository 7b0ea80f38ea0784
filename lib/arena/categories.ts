/**
 * A prompt's categories are decided when it is stored (and again by `reclassify` after the
 * classifier changes): the tags it was imported with, its language, rules for math and coding
 * (classify-math.ts, classify-coding.ts) and LMArena's rule categories `multi-turn` and
 * `longer-query`. Rules rather than a model so the decision is explainable (every category comes
 * with the reasons that put the prompt there), reproducible and free.
 */

import { type Reason, codingReasons as readCoding } from "./classify-coding";
import { mathReasons as readMath } from "./classify-math";

import { promptTokens } from "./prompt-tokens";

export type { Reason } from "./classify-coding";
export { detectLanguage } from "./language";

export const OVERALL = "overall";

const LANGUAGE_CATEGORY: Record<string, string> = {
  en: "english",
  zh: "chinese",
  ja: "japanese",
  ko: "korean",
  ru: "russian",
  de: "german",
  fr: "french",
  es: "spanish",
  pt: "portuguese",
  it: "italian",
  ar: "arabic",
  hi: "hindi",
};

const DISPLAY_NAMES: Record<string, string> = {
  overall: "Overall",
  math: "Math",
  coding: "Coding",
  "multi-turn": "Multi-Turn",
  "longer-query": "Longer Query",
};

/** A tag as a category slug: lowercase, words joined by dashes. */
export function categorySlug(tag: string): string {
  return tag
    .normalize("NFKC")
    .toLowerCase()
    .trim()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "");
}

export function categoryDisplayName(slug: string): string {
  const known = DISPLAY_NAMES[slug];
  if (known) return known;
  return slug
    .split("-")
    .map((w) => (w ? w[0]?.toUpperCase() + w.slice(1) : w))
    .join(" ");
}

export function languageCategory(language: string): string {
  const code = language.toLowerCase().split(/[-_]/)[0] ?? "";
  return LANGUAGE_CATEGORY[code] ?? categorySlug(language);
}

export const MATH = "math";
export const CODING = "coding";
export const MULTI_TURN = "multi-turn";
export const LONGER_QUERY = "longer-query";
/** LMArena's threshold for a longer query, in cl100k_base tokens over all user turns. */
export const LONGER_QUERY_TOKENS = 500;

/** The categories the classifier decides (besides the language one): what reclassifying redoes. */
export const RULE_CATEGORIES = [MATH, CODING, MULTI_TURN, LONGER_QUERY] as const;

/** True for a category the classifier decides: a rule category or a language's. */
export function isClassifierCategory(slug: string): boolean {
  return (
    (RULE_CATEGORIES as readonly string[]).includes(slug) ||
    Object.values(LANGUAGE_CATEGORY).includes(slug)
  );
}

/**
 * What the rules read of a long prompt: its first 6,000 and last 1,000 characters (where what is
 * asked is: a pasted document sits in between), so a 100 kB prompt costs what a short one does.
 */
export function ruleSample(text: string): string {
  return text.length <= 7000 ? text : `${text.slice(0, 6000)}\n${text.slice(-1000)}`;
}

/** Why the classifier puts a text in math: empty when it does not. */
export function mathReasons(text: string): Reason[] {
  return readMath(ruleSample(text));
}

/** Why the classifier puts a text in coding: empty when it does not. */
export function codingReasons(text: string): Reason[] {
  return readCoding(ruleSample(text));
}

export function isMath(text: string): boolean {
  return mathReasons(text).length > 0;
}

export function isCoding(text: string): boolean {
  return codingReasons(text).length > 0;
}

export interface PromptInput {
  /** The user turns, first to last. */
  turns: string[];
  language: string;
  tags?: string[];
}

/**
 * The classifier's categories for a prompt with the reasons for each, so an admin can see why a
 * prompt is where it is. Math and coding read all user turns joined (responses are not looked
 * at: a category is about what was asked); `multi-turn` is two or more user turns and
 * `longer-query` 500 or more cl100k_base tokens over them, as LMArena defines both.
 */
export function explainPrompt(input: Omit<PromptInput, "tags">): {
  category: string;
  reasons: Reason[];
}[] {
  const text = input.turns.join("\n\n");
  const out: { category: string; reasons: Reason[] }[] = [];
  const math = mathReasons(text);
  if (math.length) out.push({ category: MATH, reasons: math });
  const coding = codingReasons(text);
  if (coding.length) out.push({ category: CODING, reasons: coding });
  if (input.turns.length >= 2)
    out.push({
      category: MULTI_TURN,
      reasons: [{ rule: "user turns", match: String(input.turns.length) }],
    });
  const tokens = promptTokens(input.turns, LONGER_QUERY_TOKENS);
  if (tokens >= LONGER_QUERY_TOKENS)
    out.push({
      category: LONGER_QUERY,
      reasons: [{ rule: "cl100k_base tokens", match: `${LONGER_QUERY_TOKENS} or more` }],
    });
  out.push({
    category: languageCategory(input.language),
    reasons: [{ rule: "language", match: input.language }],
  });
  return out;
}

/**
 * The categories a prompt is counted in besides `overall`: its tags and what the classifier
 * decides (explainPrompt).
 */
export function classifyPrompt(input: PromptInput): string[] {
  const out = new Set<string>();
  for (const tag of input.tags ?? []) {
    const slug = categorySlug(tag);
    if (slug && slug !== OVERALL) out.add(slug);
  }
  for (const { category } of explainPrompt(input)) out.add(category);
  return [...out].sort();
}

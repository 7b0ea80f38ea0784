/**
 * FastChat labels each battle with a nested `category_tag` object rather than a list. These
 * are the labels its leaderboard turns into categories, under the slugs this app uses.
 */

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** FastChat counts a prompt as "hard" when it meets at least 6 of its 7 criteria. */
const HARD_CRITERIA = 6;

export function fastChatCategories(categoryTag: unknown): string[] {
  if (!isObject(categoryTag)) return [];
  const out: string[] = [];
  const math = categoryTag["math_v0.1"];
  if (isObject(math) && math.math === true) out.push("math");
  const criteria = categoryTag["criteria_v0.1"];
  if (
    isObject(criteria) &&
    Object.values(criteria).filter((v) => v === true).length >= HARD_CRITERIA
  ) {
    out.push("hard-prompts");
  }
  const instructions = categoryTag["if_v0.1"];
  if (isObject(instructions) && instructions.if === true) out.push("instruction-following");
  const creative = categoryTag["creative_writing_v0.1"];
  if (isObject(creative) && creative.creative_writing === true) out.push("creative-writing");
  return out;
}

/**
 * The language a prompt is written in, for prompts imported without one: ISO 639-1.
 * Identified with eld (Efficient Language Detector, its small n-gram database), which is right on
 * ≥95% of real sentences of 20+ characters in the arena's main languages (language.test.ts).
 * Two choices on top of it:
 * - English wins a near tie (within 10% of the best score): short English prompts full of names
 *   ("Who is Jacques Cousteau?") otherwise read as French or Spanish, and most arena prompts are
 *   English;
 * - fenced code and links are left out, and what remains below 20 characters is too little to
 *   tell languages apart, so it is decided by its script alone (Latin reads as English).
 */
import { eld } from "eld/small";

const MIN_CHARS = 20;
const ENGLISH_TIE = 0.9;

/** By script alone: what short texts fall back to. */
export function scriptLanguage(text: string): string {
  if (/[\u3040-\u30ff]/.test(text)) return "ja";
  if (/[\uac00-\ud7af]/.test(text)) return "ko";
  if (/[\u4e00-\u9fff]/.test(text)) return "zh";
  if (/[\u0400-\u04ff]/.test(text)) return "ru";
  if (/[\u0600-\u06ff]/.test(text)) return "ar";
  if (/[\u0900-\u097f]/.test(text)) return "hi";
  return "en";
}

export function detectLanguage(text: string): string {
  const prose = text
    .replace(/(```|~~~)[\s\S]*?(\1|$)/g, " ")
    .replace(/https?:\/\/\S+/g, " ")
    .trim();
  if (prose.replace(/\s+/g, " ").length < MIN_CHARS) return scriptLanguage(prose || text);
  // the first 2,000 characters tell the language as well as all of them, at a bounded cost
  const scores = eld.detect(prose.slice(0, 2000)).getScores();
  let best = "";
  let top = 0;
  for (const [language, score] of Object.entries(scores)) {
    if (score > top) {
      best = language;
      top = score;
    }
  }
  if (!best) return scriptLanguage(prose);
  if ((scores.en ?? 0) >= ENGLISH_TIE * top) return "en";
  return best;
}

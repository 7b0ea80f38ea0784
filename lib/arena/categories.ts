/**
 * A prompt's categories are decided once, when it is stored: the tags it was imported with,
 * its language, and a rule-based classifier for math and coding. Rules rather than a model so
 * the decision is explainable, reproducible and free; they err towards precision because a
 * category view is only useful if what is in it clearly belongs there.
 */

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

/** ISO 639-1 code from the script the text is written in, for prompts imported without one. */
export function detectLanguage(text: string): string {
  if (/[\u3040-\u30ff]/.test(text)) return "ja";
  if (/[\uac00-\ud7af]/.test(text)) return "ko";
  if (/[\u4e00-\u9fff]/.test(text)) return "zh";
  if (/[\u0400-\u04ff]/.test(text)) return "ru";
  if (/[\u0600-\u06ff]/.test(text)) return "ar";
  if (/[\u0900-\u097f]/.test(text)) return "hi";
  return "en";
}

export function languageCategory(language: string): string {
  const code = language.toLowerCase().split(/[-_]/)[0] ?? "";
  return LANGUAGE_CATEGORY[code] ?? categorySlug(language);
}

const LATEX =
  /\$\$[\s\S]+?\$\$|\$[^$\n]{1,200}\$|\\\(|\\\[|\\(frac|sqrt|int|sum|prod|lim|binom|cdot|times|leq|geq|neq|pi|theta|alpha|infty|mathbb|partial)\b/;
/** `3x + 5 = 20`, `x^2 - 4`, `f(x) =`, `12 * 7`, `2/3 of`. */
const EQUATION =
  /\b\d*[a-z]\s*\^\s*\d|\b[a-z]\s*\(\s*[a-z]\s*\)\s*=|\d+\s*[a-z]?\s*[+\-*/×÷]\s*\d+\s*[a-z]?\s*=|\b\d+(\.\d+)?\s*[+*×÷^]\s*\d+|\b\d+\s*[+-]\s*\d+\s*[*/×÷]/i;
const MATH_WORDS_EN =
  /\b(solve|equation|integral|integrate|derivative|differentiate|polynomial|quadratic|matrix|matrices|eigen\w*|determinant|probability|theorem|prove|proof|lemma|logarithm|factori[sz]e|prime numbers?|divisible|modulo|arithmetic|geometry|triangle|hypotenuse|circle|radius|perimeter|area of|volume of|algebra|calculus|limit of|series|sequence|converge|percent(age)?|fraction|how many|calculate|compute|sum of|product of|average of|mean of|remainder)\b/gi;
const MATH_WORDS_ZH =
  /(方程|求解|积分|导数|微分|概率|定理|证明|多项式|矩阵|行列式|特征值|几何|三角形|半径|面积|体积|数列|级数|极限|质数|素数|余数|计算|分数|百分之)/g;

const CODE_FENCE = /```|~~~/;
const CODE_SYNTAX =
  /(^|\n)\s*(def |class \w+[:(]|import \w|from \w+ import|#include\s*<|public (static )?\w+ \w+\(|fn \w+\(|func \w+\(|function \w*\(|const \w+ = |let \w+ = |SELECT .+ FROM |console\.log\(|printf\(|System\.out)|=>\s*[{(]|\w+\.\w+\([^)]*\);\s*$/im;
const CODE_WORDS_EN =
  /\b(python|javascript|typescript|java|c\+\+|c#|golang|rust|kotlin|swift|ruby|php|sql|regex|regular expression|bash|shell script|powershell|html|css|react|node\.?js|api|json|yaml|function|method|class|variable|compile[rd]?|debug|bug|stack trace|exception|algorithm|data structure|linked list|binary tree|hash ?map|recursion|git|docker|kubernetes|unit tests?|code|snippet|script|program(ming)?)\b/gi;
const CODE_WORDS_ZH = /(代码|编程|程序|函数|算法|调试|编译|数据结构|链表|二叉树|正则|脚本|接口)/g;

function count(re: RegExp, text: string): number {
  return text.match(re)?.length ?? 0;
}

/** Math: any formula or equation, or two distinct signals from math wording and numbers. */
export function isMath(text: string): boolean {
  if (LATEX.test(text) || EQUATION.test(text)) return true;
  const words = new Set((text.match(MATH_WORDS_EN) ?? []).map((w) => w.toLowerCase()));
  const zh = new Set(text.match(MATH_WORDS_ZH) ?? []);
  const hasNumber = /\d/.test(text);
  const signals = words.size + zh.size + (hasNumber ? 1 : 0);
  return signals >= 2 && (words.size + zh.size >= 2 || hasNumber);
}

/** Coding: a code fence or code-shaped line, or two distinct programming words. */
export function isCoding(text: string): boolean {
  if (CODE_FENCE.test(text) || CODE_SYNTAX.test(text)) return true;
  const words = new Set((text.match(CODE_WORDS_EN) ?? []).map((w) => w.toLowerCase()));
  return words.size + count(CODE_WORDS_ZH, text) >= 2;
}

/**
 * The categories a prompt is counted in besides `overall`: its tags, its language and what the
 * classifier finds in the prompt text (responses are not looked at: a category is about what
 * was asked).
 */
export function classifyPrompt(input: {
  text: string;
  language: string;
  tags?: string[];
}): string[] {
  const out = new Set<string>();
  for (const tag of input.tags ?? []) {
    const slug = categorySlug(tag);
    if (slug && slug !== OVERALL) out.add(slug);
  }
  if (isMath(input.text)) out.add("math");
  if (isCoding(input.text)) out.add("coding");
  out.add(languageCategory(input.language));
  return [...out].sort();
}

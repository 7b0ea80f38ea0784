/**
 * Identity leaks: a vote only measures preference while the voter cannot tell which model is
 * which. When the prompt or either response names a model — "As ChatGPT, developed by
 * OpenAI…" — the vote is kept but flagged and left out of the leaderboard, as FastChat does
 * with its IDENTITY_WORDS. The words are FastChat's list, the deployment's IDENTITY_WORDS,
 * and every model's own slug, display name and organization.
 */

/** FastChat's identity words (fastchat/serve/monitor/clean_battle_data.py), plus newer families. */
export const DEFAULT_IDENTITY_WORDS = [
  "vicuna",
  "lmsys",
  "koala",
  "uc berkeley",
  "open assistant",
  "laion",
  "chatglm",
  "chatgpt",
  "gpt-4",
  "gpt-3.5",
  "openai",
  "anthropic",
  "claude",
  "bard",
  "palm",
  "lamda",
  "google",
  "gemini",
  "llama",
  "meta ai",
  "mistral",
  "mixtral",
  "qwen",
  "deepseek",
  "grok",
  "xai",
];

export interface ModelNames {
  slug: string;
  displayName: string;
  organization: string;
}

export interface LeakCheck {
  leak: boolean;
  /** e.g. `"openai" in response A; "aurora large" in the prompt` */
  reason: string | null;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Latin words (and numbers) match as whole words; CJK names anywhere, having no spaces. */
const wholeWord = (word: string) => /^[\p{Script=Latin}\p{N}]/u.test(word);

/**
 * One alternation of all the words, longest first. The whole-word boundaries go around the
 * Latin group once, not around each word: with a lookbehind per alternative, compiling the
 * Unicode regex took ~300 ms for 30 models, and a vote paid it whenever the list changed (an
 * import creating models, an admin renaming one). Both forms match the same: the first
 * character decides which group a word can start in, and the group backtracks to a shorter word.
 */
function leakPattern(words: string[]): string | null {
  const latin = words.filter(wholeWord).map(escapeRegExp);
  const other = words.filter((w) => !wholeWord(w)).map(escapeRegExp);
  const groups = [
    ...(latin.length ? [`(?<![\\p{L}\\p{N}])(?:${latin.join("|")})(?![\\p{L}\\p{N}])`] : []),
    ...(other.length ? [`(?:${other.join("|")})`] : []),
  ];
  return groups.length ? groups.join("|") : null;
}

export class IdentityLeakDetector {
  private readonly re: RegExp | null;

  constructor(models: ModelNames[], extraWords: string[] = [], defaults = DEFAULT_IDENTITY_WORDS) {
    const words = new Set<string>();
    for (const w of [...defaults, ...extraWords])
      if (w.trim().length >= 2) words.add(w.trim().toLowerCase());
    for (const m of models) {
      for (const name of [m.slug, m.displayName, m.organization, m.slug.replace(/[-_]+/g, " ")]) {
        // Two CJK characters already make a name; two Latin letters would match everywhere.
        const min = /[\u3040-\u9fff\uac00-\ud7af]/.test(name) ? 2 : 3;
        if (name.trim().length >= min) words.add(name.trim().toLowerCase());
      }
    }
    // Longest first, so "gpt-4" wins over "gpt" and the reason names the specific word.
    const source = leakPattern([...words].sort((a, b) => b.length - a.length));
    this.re = source ? new RegExp(source, "giu") : null;
  }

  check(texts: { prompt: string; a: string; b: string }): LeakCheck {
    if (!this.re) return { leak: false, reason: null };
    const found: string[] = [];
    for (const [where, text] of [
      ["the prompt", texts.prompt],
      ["response A", texts.a],
      ["response B", texts.b],
    ] as const) {
      const hits = new Set((text.toLowerCase().match(this.re) ?? []).map((h) => h.toLowerCase()));
      if (hits.size) found.push(`${[...hits].map((h) => `"${h}"`).join(", ")} in ${where}`);
    }
    return found.length ? { leak: true, reason: found.join("; ") } : { leak: false, reason: null };
  }
}

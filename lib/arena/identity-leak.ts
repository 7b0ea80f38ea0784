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

/** Word boundaries for Latin words; CJK names match anywhere since they have no spaces. */
function pattern(word: string): string {
  const w = escapeRegExp(word.toLowerCase());
  return /^[\p{Script=Latin}\p{N}]/u.test(word) ? `(?<![\\p{L}\\p{N}])${w}(?![\\p{L}\\p{N}])` : w;
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
    const sorted = [...words].sort((a, b) => b.length - a.length);
    this.re = sorted.length ? new RegExp(sorted.map(pattern).join("|"), "giu") : null;
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

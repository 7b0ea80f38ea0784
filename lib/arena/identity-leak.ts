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

/** Latin words (and numbers) match as whole words; CJK names anywhere, having no spaces. */
const wholeWord = (word: string) => /^[\p{Script=Latin}\p{N}]/u.test(word);

const LETTER_OR_NUMBER = /[\p{L}\p{N}]/u;
const ASCII_LN = new Uint8Array(128);
for (let c = 0; c < 128; c++) ASCII_LN[c] = /[a-z0-9]/i.test(String.fromCharCode(c)) ? 1 : 0;
const isLetterOrNumber = (cp: number | undefined) =>
  cp !== undefined &&
  (cp < 128 ? ASCII_LN[cp] === 1 : LETTER_OR_NUMBER.test(String.fromCodePoint(cp)));

/** The code point that ends just before `i` (a surrogate pair counts as one). */
function codePointBefore(text: string, i: number): number | undefined {
  if (i === 0) return undefined;
  const low = text.charCodeAt(i - 1);
  if (low >= 0xdc00 && low <= 0xdfff && i >= 2) {
    const high = text.charCodeAt(i - 2);
    if (high >= 0xd800 && high <= 0xdbff) return text.codePointAt(i - 2);
  }
  return low;
}

interface TrieNode {
  next: Map<number, TrieNode>;
  /** A word ends here. */
  end: boolean;
}

const node = (): TrieNode => ({ next: new Map(), end: false });

function trieOf(words: string[]): TrieNode {
  const root = node();
  for (const w of words) {
    let n = root;
    for (let i = 0; i < w.length; i++) {
      const c = w.charCodeAt(i);
      let child = n.next.get(c);
      if (!child) {
        child = node();
        n.next.set(c, child);
      }
      n = child;
    }
    n.end = true;
  }
  return root;
}

/** The end of the longest word of `trie` starting at `i`, or -1; `bounded` wants no letter or number after it. */
function longestAt(text: string, i: number, trie: TrieNode, bounded: boolean): number {
  let best = -1;
  let n: TrieNode | undefined = trie;
  for (let j = i; j < text.length; j++) {
    n = n.next.get(text.charCodeAt(j));
    if (!n) break;
    if (n.end && (!bounded || !isLetterOrNumber(text.codePointAt(j + 1)))) best = j + 1;
  }
  return best;
}

/**
 * Finds the words in a text the way one regex alternation of them, longest first, would (the
 * Latin group, whole words, tried before the others at each position; matches do not overlap),
 * but by walking two tries: linear in the text whatever the number of words. The regex took
 * ~0.1 ms per 2 KB response up to ~150 models and then 4–9 ms at 225–250 (a cliff in V8 with so
 * large a pattern), and every stored response is matched when its verdict is decided. Text and
 * words are compared lowercased; the regex's case folding also equated a few rare forms (ſ and
 * s, ς and σ) that this does not.
 */
export class IdentityLeakDetector {
  /** The whole word list, lowercased, longest first: what a verdict depends on. */
  readonly words: string[];
  private readonly latin: TrieNode;
  private readonly other: TrieNode;

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
    this.words = [...words].sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0));
    this.latin = trieOf(this.words.filter(wholeWord));
    this.other = trieOf(this.words.filter((w) => !wholeWord(w)));
  }

  /** The identity words in `text`, each once, in the order they first appear. */
  hits(text: string): string[] {
    const t = text.toLowerCase();
    const found = new Set<string>();
    let i = 0;
    while (i < t.length) {
      let end = -1;
      if (this.latin.next.has(t.charCodeAt(i)) && !isLetterOrNumber(codePointBefore(t, i)))
        end = longestAt(t, i, this.latin, true);
      if (end < 0 && this.other.next.has(t.charCodeAt(i))) end = longestAt(t, i, this.other, false);
      if (end < 0) i++;
      else {
        found.add(t.slice(i, end));
        i = end;
      }
    }
    return [...found];
  }

  check(texts: { prompt: string; a: string; b: string }): LeakCheck {
    return leakVerdict({
      prompt: this.hits(texts.prompt),
      a: this.hits(texts.a),
      b: this.hits(texts.b),
    });
  }
}

/** A battle's verdict from the words found in its prompt and in each response. */
export function leakVerdict(hits: { prompt: string[]; a: string[]; b: string[] }): LeakCheck {
  const found: string[] = [];
  for (const [where, words] of [
    ["the prompt", hits.prompt],
    ["response A", hits.a],
    ["response B", hits.b],
  ] as const) {
    if (words.length) found.push(`${words.map((h) => `"${h}"`).join(", ")} in ${where}`);
  }
  return found.length ? { leak: true, reason: found.join("; ") } : { leak: false, reason: null };
}

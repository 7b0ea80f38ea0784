import { describe, expect, it } from "vitest";
import { seededRng } from "@/tests/helpers/rng";
import { DEFAULT_IDENTITY_WORDS, IdentityLeakDetector } from "./identity-leak";

const MODELS = [
  { slug: "aurora-large", displayName: "Aurora Large", organization: "Northwind AI" },
  { slug: "hanlin-chat", displayName: "翰林", organization: "Hanlin AI" },
];

describe("IdentityLeakDetector", () => {
  const d = new IdentityLeakDetector(MODELS, ["Acme Bot"]);

  it("flags FastChat's identity words, model names, organizations and extra words, saying where", () => {
    expect(d.check({ prompt: "hi", a: "I am ChatGPT, made by OpenAI.", b: "Hello" })).toEqual({
      leak: true,
      reason: '"chatgpt", "openai" in response A',
    });
    expect(d.check({ prompt: "Are you Aurora Large?", a: "x", b: "y" }).reason).toBe(
      '"aurora large" in the prompt',
    );
    expect(d.check({ prompt: "q", a: "x", b: "Trained at Northwind AI" }).reason).toBe(
      '"northwind ai" in response B',
    );
    expect(d.check({ prompt: "q", a: "aurora-large here", b: "y" }).leak).toBe(true);
    expect(d.check({ prompt: "q", a: "我是翰林", b: "y" }).leak).toBe(true);
    expect(d.check({ prompt: "q", a: "I'm acme bot", b: "y" }).leak).toBe(true);
    expect(d.check({ prompt: "q", a: "GPT-4 is a model", b: "y" }).reason).toBe(
      '"gpt-4" in response A',
    );
  });

  it("does not flag words inside other words or clean text", () => {
    expect(
      d.check({ prompt: "Describe a palmtree and the bards of old", a: "Opal", b: "llamas?" }).leak,
    ).toBe(false);
    expect(d.check({ prompt: "What is 2+2?", a: "4", b: "Four." }).leak).toBe(false);
  });
});

/**
 * The former matcher, kept as the oracle: one Unicode regex alternation of all the words,
 * longest first, the Latin words bounded as whole words. The tries must find exactly its hits.
 */
function regexHits(words: string[], text: string): string[] {
  const escapeWord = (w: string) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const latin = (w: string) => /^[\p{Script=Latin}\p{N}]/u.test(w);
  const groups = [
    `(?<![\\p{L}\\p{N}])(?:${words.filter(latin).map(escapeWord).join("|")})(?![\\p{L}\\p{N}])`,
    `(?:${words
      .filter((w) => !latin(w))
      .map(escapeWord)
      .join("|")})`,
  ];
  const re = new RegExp(groups.join("|"), "giu");
  return [...new Set((text.toLowerCase().match(re) ?? []).map((h) => h.toLowerCase()))];
}

describe("the word matcher", () => {
  const models = [
    ...MODELS,
    { slug: "gpt-4o-mini", displayName: "GPT-4o mini", organization: "OpenAI" },
    { slug: "qwen2.5-72b", displayName: "Qwen2.5 72B", organization: "Alibaba" },
    { slug: "yi-large", displayName: "Yi Large", organization: "01.AI" },
    { slug: "ernie-4", displayName: "文心一言", organization: "百度" },
  ];
  const d = new IdentityLeakDetector(models, ["Acme Bot"]);

  it("finds exactly what the one-regex matcher found, on random texts full of near-misses", () => {
    const rng = seededRng(9);
    const pieces = [
      ...d.words,
      ...d.words.map((w) => w.slice(0, -1)),
      ...d.words.map((w) => `${w}s`),
      ...d.words.map((w) => `x${w}`),
      ...["GPT-4O", "Claude", "ChatGPT", "gpt-4-turbo", "4o", "ai", "72b", "é", "ß", "👍", "𝟏"],
    ];
    const separators = [" ", "", "-", ".", ", ", "\n", "_", "'", "é", "1", "a", "百", "😀"];
    const pick = <T>(xs: T[]) => xs[Math.floor(rng() * xs.length)] as T;
    for (let n = 0; n < 3000; n++) {
      let text = "";
      for (let i = 0; i < 1 + Math.floor(rng() * 8); i++) text += pick(pieces) + pick(separators);
      if (rng() < 0.5) text = text.toUpperCase();
      expect(d.hits(text), text).toEqual(regexHits(d.words, text));
    }
  });

  it("takes the longest word at a position and does not overlap matches", () => {
    expect(d.hits("I am GPT-4o mini, by OpenAI")).toEqual(["gpt-4o mini", "openai"]);
    expect(d.hits("gpt-4o-mini")).toEqual(["gpt-4o-mini"]);
    expect(d.hits("gpt-4-turbo")).toEqual(["gpt-4"]);
    expect(d.hits("我是文心一言")).toEqual(["文心一言"]);
  });

  it("stays fast at 250 models with 2 KB texts", () => {
    const many = Array.from({ length: 250 }, (_, m) => ({
      slug: `vendor${m % 40}-chat-large-v${m}-2024-instruct`,
      displayName: `Vendor${m % 40} Chat Large v${m} Instruct`,
      organization: `Vendor${m % 40} Labs`,
    }));
    const big = new IdentityLeakDetector(many);
    const text = "the answer depends on the value of each system and its state ".repeat(33);
    const t = performance.now();
    for (let i = 0; i < 200; i++) big.hits(text);
    // ~0.03 ms each here; the one-regex matcher took 4–9 ms per text at this size.
    expect((performance.now() - t) / 200).toBeLessThan(1);
    expect(DEFAULT_IDENTITY_WORDS.every((w) => big.words.includes(w))).toBe(true);
  });
});

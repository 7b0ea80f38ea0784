import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { sharedDataFile } from "@/tests/helpers/shared-data";
import {
  categorySlug,
  classifyPrompt,
  codingReasons,
  explainPrompt,
  isCoding,
  isMath,
  mathReasons,
} from "./categories";
import { loadDevLabels, score } from "./category-eval";

describe("math classifier", () => {
  it.each([
    "Solve $x^2 - 5x + 6 = 0$.",
    "What is \\int_0^1 x^2 dx?",
    "If 3x + 5 = 20, what is x?",
    "What is 127 * 43?",
    "A triangle has sides 3, 4 and 5. What is its area?",
    "What is the probability of rolling two sixes with 2 dice?",
    "求解方程 x + 3 = 7 的解，并计算面积",
    // word problems, in the manner of grade-school benchmarks
    "Tom buys 3 notebooks at $2.50 each and a pen for $1.20. How much does he spend in total?",
    "A train travels 120 km in 1.5 hours. What is its average speed?",
    "Anna is twice as old as her brother, who is 7. How old will Anna be in 5 years?",
    // explaining or proving something mathematical
    "Prove that the square root of 3 is irrational.",
    "Explain what a derivative is.",
    "How many inches are in a mile?",
    "Which is larger, 2^10 or 10^3?",
    "Let f(x) = 3x^2 + 2. Find f(4).",
  ])("finds math in %s", (text) => expect(isMath(text)).toBe(true));

  it.each([
    "Write a haiku about autumn leaves.",
    "Why is the sky blue?",
    "Summarise the causes of World War I in 3 bullet points.",
    "Tell me a story about a dragon.",
    // a program about primes is coding, not math (the label definitions in issue #10)
    "Write a Python script for the first 100 primes",
    // a template variable is not a formula
    'Fill in the template "Dear $name, your order $order_id has shipped" for Ann and order 42.',
    "In the TV series Friends, who is Ross's sister?",
    "Write the letters in sequence: A, then B, then C",
    "Balance the chemical equation for burning methane.",
    "Teamwork is an integral part of our culture.",
    "How do I integrate Stripe payments with my shop?",
    "Help me differentiate between empathy and sympathy.",
    "Who plays Neo in The Matrix?",
    "What percentage of people in Canada speak French?",
    "The repair cost a fraction of the price of a new phone.",
    "Tell me a short story about two friends and prime numbers.",
    "Describe a leak-proof steel water bottle for an online shop.",
    "Ana, Ben and Dev take the 9:00, 10:00 and 11:00 slots; Ana can't make 9:00. Who meets when?",
  ])("finds no math in %s", (text) => expect(isMath(text)).toBe(false));

  it("reads code out before looking for formulas", () => {
    expect(
      isMath(
        "Why does this loop never end?\n```js\nlet i = 0;\nwhile (i < 10) i = i + 1 - 1;\n```",
      ),
    ).toBe(false);
  });

  it("needs two signals in a long prompt", () => {
    const long = `${"The quarterly meeting covered hiring, the office move and the new logo. ".repeat(10)}Is the probability of rain relevant?`;
    expect(isMath(long)).toBe(false);
  });

  it("says why", () => {
    expect(mathReasons("Solve 2x + 4 = 8").map((r) => r.rule)).toContain("equation");
    expect(mathReasons("What is 45 + 45?")[0]).toEqual({ rule: "arithmetic", match: "45 + 4" });
  });
});

describe("coding classifier", () => {
  it.each([
    "```python\nprint(1)\n```",
    "Write a Python function that reverses a linked list.",
    "Why does `const x = [];` followed by x.push(1) work?\nconst x = [];",
    "SELECT name FROM users WHERE id = 1 returns nothing, why?",
    "用Python写一个快速排序的代码",
    // in the manner of code-generation benchmarks
    "Write a function to find the shared elements from the given two lists.",
    'def add(a: int, b: int) -> int:\n    """Return the sum of a and b."""',
    // languages and tools named in use
    "Write a web server in C",
    "Write a program that prints the numbers from 1 to 100.",
    "How do I undo the last commit in git?",
    "ffmpeg: how to cut the first 10 seconds of a video",
    "How do I centre a div with CSS?",
    "How do I group rows by month in pandas?",
    "Write a Flask app with one route that says hello",
    "In React, how do I lift state up to a parent?",
    "What does the match statement do in Rust code?",
    "Explain the difference between a process and a thread in Linux programming",
  ])("finds code in %s", (text) => expect(isCoding(text)).toBe(true));

  it.each([
    "Write a haiku about autumn leaves.",
    "How do vaccines work?",
    "What is inflation?",
    // ordinary words that are also language names
    "Is Taylor Swift touring in Europe this year?",
    "How do I remove rust from a bike chain?",
    "Is Java coffee stronger than Sumatra coffee?",
    "How did people react to the moon landing?",
    "Why do pandas eat bamboo?",
    "Summarize Kafka's The Trial in three sentences.",
    "Plan a birthday bash for my son.",
    "How much yarn do I need for a scarf?",
    "Are latex gloves safe for people with allergies?",
    "Who directed Django Unchained?",
    // a script that is a screenplay, a poem about code
    "Write a comedy script for two chefs arguing about pasta",
    "Write a rhyming poem about the beauty of clean code.",
    "Make it more polite: I want to have dinner.",
    "Give me the zip code for downtown Boston.",
    "Create a 12-week training program for a first marathon.",
    "Explain the function of the liver.",
    "Write the opening of a cover letter for a data analyst job; I know Python and SQL.",
    // fenced prose is not code
    "```\nPremises: all men are mortal. Socrates is a man.\n```\nIs the conclusion valid?",
  ])("finds no code in %s", (text) => expect(isCoding(text)).toBe(false));

  it("says why", () => {
    expect(codingReasons("How to parse a JSONL file in python?")).toContainEqual({
      rule: "programming language or tool",
      match: "python",
    });
  });
});

describe("rule categories", () => {
  it("multi-turn takes two or more user turns", () => {
    expect(classifyPrompt({ turns: ["Hi", "And then?"], language: "en" })).toContain("multi-turn");
    expect(classifyPrompt({ turns: ["Hi"], language: "en" })).not.toContain("multi-turn");
  });

  it("longer-query takes 500 or more cl100k tokens over the user turns", () => {
    // " cat" is one cl100k_base token: 499 of them plus "cat" make 500
    const short = `cat${" cat".repeat(498)}`;
    expect(classifyPrompt({ turns: [short], language: "en" })).not.toContain("longer-query");
    expect(classifyPrompt({ turns: [`${short} cat`], language: "en" })).toContain("longer-query");
    // counted over all turns
    expect(classifyPrompt({ turns: [short, "cat"], language: "en" })).toContain("longer-query");
    const why = explainPrompt({ turns: [`${short} cat`], language: "en" });
    expect(why).toContainEqual({
      category: "longer-query",
      reasons: [{ rule: "cl100k_base tokens", match: "500 or more" }],
    });
  });

  it("counts special-token text as ordinary text", () => {
    expect(() => classifyPrompt({ turns: ["<|endoftext|> hi"], language: "en" })).not.toThrow();
  });
});

describe("long and hostile prompts", () => {
  it("cost about what a short one does (no rule is quadratic in the length)", () => {
    // each took from 10 s to minutes before the rules were bounded
    const hostile = [
      "1+".repeat(50_000),
      "x = ".repeat(30_000),
      `${" ".repeat(100_000)}a`,
      "(".repeat(50_000),
    ];
    const t = performance.now();
    for (const text of hostile) classifyPrompt({ turns: [text], language: "en" });
    expect(performance.now() - t).toBeLessThan(5000);
  });

  it("still counts a long prompt's tokens past the threshold", () => {
    expect(classifyPrompt({ turns: ["word ".repeat(20_000)], language: "en" })).toContain(
      "longer-query",
    );
  });
});

describe("classifyPrompt", () => {
  it("combines tags, classifier and language", () => {
    expect(
      classifyPrompt({
        turns: ["Solve $x+1=2$"],
        language: "en",
        tags: ["Hard Prompts", "overall"],
      }),
    ).toEqual(["english", "hard-prompts", "math"]);
    expect(classifyPrompt({ turns: ["画蛇添足是什么意思？"], language: "zh" })).toEqual([
      "chinese",
    ]);
  });

  it("slugs tags", () => {
    expect(categorySlug("  Creative Writing! ")).toBe("creative-writing");
  });
});

/**
 * The classifier on the hand-labelled development prompts (../shared/data; unsure labels left
 * out). Floors under the figures measured when the rules were written (math F1 0.94, coding 0.98
 * on this set; the rules were developed on it, so held-out prompts will score lower).
 */
describe("on the development labels", () => {
  const battles = sharedDataFile("lmsys-2023-en-battles-with-text.jsonl");
  const labels = sharedDataFile("lmsys-2023-en-category-labels-dev.jsonl");
  it.skipIf(!battles.present || !labels.present)("keeps F1 above its floor", () => {
    const labelled = loadDevLabels(
      readFileSync(battles.path, "utf8"),
      readFileSync(labels.path, "utf8"),
    );
    expect(labelled.length).toBeGreaterThan(750);
    const math = score(labelled, "math", isMath);
    const coding = score(labelled, "coding", isCoding);
    expect(math.f1).toBeGreaterThanOrEqual(0.9);
    expect(math.precision).toBeGreaterThanOrEqual(0.85);
    expect(coding.f1).toBeGreaterThanOrEqual(0.93);
    expect(coding.precision).toBeGreaterThanOrEqual(0.9);
  });
});

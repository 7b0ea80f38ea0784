import { describe, expect, it } from "vitest";
import { categorySlug, classifyPrompt, detectLanguage, isCoding, isMath } from "./categories";

describe("math classifier", () => {
  it.each([
    "Solve $x^2 - 5x + 6 = 0$.",
    "What is \\int_0^1 x^2 dx?",
    "If 3x + 5 = 20, what is x?",
    "What is 127 * 43?",
    "A triangle has sides 3, 4 and 5. What is its area?",
    "What is the probability of rolling two sixes with 2 dice?",
    "求解方程 x + 3 = 7 的解，并计算面积",
  ])("finds math in %s", (text) => expect(isMath(text)).toBe(true));

  it.each([
    "Write a haiku about autumn leaves.",
    "Why is the sky blue?",
    "Summarise the causes of World War I in 3 bullet points.",
    "Tell me a story about a dragon.",
  ])("finds no math in %s", (text) => expect(isMath(text)).toBe(false));
});

describe("coding classifier", () => {
  it.each([
    "```python\nprint(1)\n```",
    "Write a Python function that reverses a linked list.",
    "Why does `const x = [];` followed by x.push(1) work?\nconst x = [];",
    "SELECT name FROM users WHERE id = 1 returns nothing, why?",
    "用Python写一个快速排序的代码",
  ])("finds code in %s", (text) => expect(isCoding(text)).toBe(true));

  it.each(["Write a haiku about autumn leaves.", "How do vaccines work?", "What is inflation?"])(
    "finds no code in %s",
    (text) => expect(isCoding(text)).toBe(false),
  );
});

describe("classifyPrompt", () => {
  it("combines tags, classifier and language", () => {
    expect(
      classifyPrompt({ text: "Solve $x+1=2$", language: "en", tags: ["Hard Prompts", "overall"] }),
    ).toEqual(["english", "hard-prompts", "math"]);
    expect(classifyPrompt({ text: "画蛇添足是什么意思？", language: "zh" })).toEqual(["chinese"]);
  });

  it("slugs tags and detects scripts", () => {
    expect(categorySlug("  Creative Writing! ")).toBe("creative-writing");
    expect(detectLanguage("什么是闭包？")).toBe("zh");
    expect(detectLanguage("Привет")).toBe("ru");
    expect(detectLanguage("こんにちは")).toBe("ja");
    expect(detectLanguage("Hello there")).toBe("en");
  });
});

import { describe, expect, it } from "vitest";
import { cl100kTokens, styleFeatures } from "./style-features";

describe("cl100kTokens", () => {
  it("counts cl100k_base tokens (tiktoken's figures)", () => {
    expect(cl100kTokens("")).toBe(0);
    expect(cl100kTokens("hello world")).toBe(2);
    // tiktoken: [15339, 220, 100257, 1917] with allowed_special="all"
    expect(cl100kTokens("hello <|endoftext|> world")).toBe(4);
    expect(cl100kTokens("<|endoftext|><|endofprompt|>")).toBe(2);
  });

  it("treats ChatML markers as text, as tiktoken's cl100k_base does (they are not its specials)", () => {
    expect(cl100kTokens("<|im_start|>")).toBeGreaterThan(1);
  });
});

describe("styleFeatures (FastChat's add_markdown_info)", () => {
  it("counts headers, ordered and unordered items and bold spans", () => {
    const text =
      "# Title\n## Sub\n####### not\n#nospace\n1. one\n  2. two\n- a\n* b\n+ c\n**bold** and __also__ but **not\nbold**";
    expect(styleFeatures(text)).toMatchObject({ headers: 2, listItems: 5, bold: 2 });
  });

  it("removes fenced code the way FastChat does: the code between the fences, wherever it occurs", () => {
    const code = "\n# comment\n- x\n";
    expect(styleFeatures(`\`\`\`${code}\`\`\``)).toMatchObject({ headers: 0, listItems: 0 });
    // FastChat deletes every occurrence of the fenced text, also outside the fences
    expect(styleFeatures(`\`\`\`- x\`\`\`\n- x\n- y`).listItems).toBe(1);
  });

  it("speaks Python's regex dialect: \\s includes \\x1c and \\x85, not \\ufeff; ^ only after \\n", () => {
    expect(styleFeatures("#\x1ctitle").headers).toBe(1);
    expect(styleFeatures("#\ufefftitle").headers).toBe(0);
    expect(styleFeatures("x\r# title").headers).toBe(0);
    expect(styleFeatures("x\u2028# title").headers).toBe(0);
    // \d is any Unicode decimal digit
    expect(styleFeatures("١. item").listItems).toBe(1);
  });

  it("sums tokens over assistant turns and counts markdown on the turns joined by a newline", () => {
    const one = styleFeatures("Hello there.");
    const two = styleFeatures(["Hello there.", "# Next\n- item"]);
    expect(two.tokens).toBe(one.tokens + styleFeatures("# Next\n- item").tokens);
    expect(two).toMatchObject({ headers: 1, listItems: 1 });
  });
});

import { describe, expect, it } from "vitest";
import { normalizeMathDelimiters } from "./math-delimiters";

describe("normalizeMathDelimiters", () => {
  it("turns a one-line $$…$$ into a display block", () => {
    expect(normalizeMathDelimiters("Result:\n$$x^2 = 4$$\nDone")).toBe(
      "Result:\n$$\nx^2 = 4\n$$\nDone",
    );
  });

  it("keeps inline $$ inside a sentence and single dollars alone", () => {
    const text = "We have $$a$$ and $b$ here";
    expect(normalizeMathDelimiters(text)).toBe(text);
  });

  it("converts \\[…\\] and \\(…\\)", () => {
    expect(normalizeMathDelimiters("so \\(x+1\\) and \\[\\frac{1}{2}\\]")).toBe(
      "so $x+1$ and \n$$\n\\frac{1}{2}\n$$\n",
    );
  });

  it("leaves code alone", () => {
    const text = "```latex\n$$x$$\n\\[y\\]\n```\nand `\\(z\\)`";
    expect(normalizeMathDelimiters(text)).toBe(text);
  });
});

import fc from "fast-check";
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

/** The implementation before the linear rewrite: the reference for what the output should be. */
function quadraticReference(markdown: string): string {
  const parts = markdown.split(
    /(^[ \t]*(?:```|~~~)[\s\S]*?(?:^[ \t]*(?:```|~~~)[ \t]*$|(?![\s\S]))|`[^`\n]+`)/m,
  );
  return parts
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part
            .replace(
              /^([ \t]*)\$\$([^\n$]+?)\$\$[ \t]*$/gm,
              (_, indent: string, body: string) =>
                `${indent}$$\n${indent}${body.trim()}\n${indent}$$`,
            )
            .replace(/\\\[([\s\S]+?)\\\]/g, (_, body: string) => `\n$$\n${body.trim()}\n$$\n`)
            .replace(/\\\(([\s\S]+?)\\\)/g, (_, body: string) => `$${body.trim()}$`),
    )
    .join("");
}

describe("normalizeMathDelimiters on any input", () => {
  it("gives what the regex version gave", () => {
    const pieces = fc.constantFrom(
      "\\[",
      "\\]",
      "\\(",
      "\\)",
      "\\",
      "$$",
      "$",
      "`",
      "```",
      "~~~",
      "\n",
      " ",
      "\t",
      "x",
      "a+b",
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 40 }), (list) => {
        const text = list.join("");
        expect(normalizeMathDelimiters(text)).toBe(quadraticReference(text));
      }),
      { numRuns: 3000 },
    );
  });

  // A 300 KB response of unclosed delimiters took 8.5 s with the old regexes (and stalled every
  // page that drew it); linear code does each of these in a few milliseconds.
  const SIZE = 300_000;
  const hostile: Record<string, string> = {
    "unclosed \\[": "\\[".repeat(SIZE / 2),
    "unclosed \\(": "\\(".repeat(SIZE / 2),
    "\\[ with text": "\\[a ".repeat(SIZE / 4),
    "alternating openers": "\\[\\(".repeat(SIZE / 4),
    "one closer at the end": `${"\\(".repeat(SIZE / 2)}\\)`,
    "unclosed backticks": "`a".repeat(SIZE / 2),
    "unclosed fence lines": "```x\n".repeat(SIZE / 5),
    "$$ lines": "$$a$$ x\n".repeat(SIZE / 8),
    "leading blanks": `${" \t".repeat(SIZE / 2)}$$x`,
    "one long $$ line": `$$${"a".repeat(SIZE)}$$ x`,
    backslashes: "\\".repeat(SIZE),
  };
  for (const [name, text] of Object.entries(hostile)) {
    it(`stays linear on ${name} (${Math.round(text.length / 1000)} KB)`, () => {
      let best = Number.POSITIVE_INFINITY;
      for (let run = 0; run < 2; run++) {
        const started = performance.now();
        normalizeMathDelimiters(text);
        best = Math.min(best, performance.now() - started);
      }
      // ~5–100 ms here; generous for a loaded 2-core machine, far below the seconds of old
      expect(best).toBeLessThan(1000);
    });
  }
});

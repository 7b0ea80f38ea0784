import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { escapeLoneDollars, normalizeMathDelimiters } from "./math-delimiters";

describe("normalizeMathDelimiters", () => {
  it("turns a one-line $$…$$ into a display block", () => {
    expect(normalizeMathDelimiters("Result:\n$$x^2 = 4$$\nDone")).toBe(
      "Result:\n$$\nx^2 = 4\n$$\nDone",
    );
  });

  it("keeps inline $$ inside a sentence and single-dollar math alone", () => {
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

/** The implementation before the linear rewrite (after the dollar escaping, tested above): the reference. */
function quadraticReference(markdown: string): string {
  const parts = markdown.split(
    /(^[ \t]*(?:```|~~~)[\s\S]*?(?:^[ \t]*(?:```|~~~)[ \t]*$|(?![\s\S]))|`[^`\n]+`)/m,
  );
  return parts
    .map((part, i) =>
      i % 2 === 1
        ? part
        : escapeLoneDollars(part)
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

/** Single dollars not escaped by an odd run of backslashes: the ones remark-math pairs. */
function activeSingleDollars(text: string): number {
  let n = 0;
  for (const m of text.matchAll(/(\\*)(\$+)/g)) {
    if ((m[2] as string).length === 1 && (m[1] as string).length % 2 === 0) n++;
  }
  return n;
}

describe("dollars that are not math", () => {
  it("stay text: prices are escaped, formulas are not", () => {
    expect(normalizeMathDelimiters("They give you $20 for the toy… and $25 for the car.")).toBe(
      "They give you \\$20 for the toy… and \\$25 for the car.",
    );
    expect(normalizeMathDelimiters("around $11,000-$15,000 or $5/$10")).toBe(
      "around \\$11,000-\\$15,000 or \\$5/\\$10",
    );
    expect(normalizeMathDelimiters("If $x$ and $y = 2$, then $x+y$.")).toBe(
      "If $x$ and $y = 2$, then $x+y$.",
    );
  });

  it("follow Pandoc's rule: no space inside the dollars, no digit right after the closing one", () => {
    expect(escapeLoneDollars("a $ b $ c")).toBe("a \\$ b \\$ c");
    expect(escapeLoneDollars("$x $ and $ y$")).toBe("\\$x \\$ and \\$ y\\$");
    expect(escapeLoneDollars("$x$2")).toBe("\\$x\\$2");
    expect(escapeLoneDollars("$x$-axis, $n$th")).toBe("$x$-axis, $n$th");
  });

  it("let a formula after a price render", () => {
    expect(escapeLoneDollars("It costs $5 and the area is $\\pi r^2$.")).toBe(
      "It costs \\$5 and the area is $\\pi r^2$.",
    );
  });

  it("do not pair across a blank line", () => {
    expect(escapeLoneDollars("I have $20.\n\nThe formula $x$ holds.")).toBe(
      "I have \\$20.\n\nThe formula $x$ holds.",
    );
  });

  it("leave $$, escaped dollars and code alone", () => {
    expect(escapeLoneDollars("\\$5 and $$x$$")).toBe("\\$5 and $$x$$");
    expect(normalizeMathDelimiters("Run `echo $HOME` for $5")).toBe("Run `echo $HOME` for \\$5");
  });

  it("only ever insert a backslash before a single dollar, leaving an even number unescaped", () => {
    const pieces = fc.constantFrom("$", "$$", "\\", "\\$", " ", "\n", "\n\n", "x", "5", "-");
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 40 }), (list) => {
        const text = list.join("");
        const out = escapeLoneDollars(text);
        let i = 0;
        let rebuilt = "";
        for (let o = 0; o < out.length; o++) {
          if (out[o] === "\\" && out[o + 1] === "$" && text[i] === "$") continue;
          rebuilt += out[o];
          i++;
        }
        expect(rebuilt).toBe(text);
        for (const paragraph of out.split(/\n[ \t]*\n/)) {
          expect(activeSingleDollars(paragraph) % 2).toBe(0);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

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
    "single dollars": "$a ".repeat(SIZE / 3),
    "dollar runs": `${"$".repeat(SIZE)}x`,
    "escaped dollars": `${"\\".repeat(SIZE / 2)}$`.repeat(2),
    "short paragraphs": "$5\n\n".repeat(SIZE / 4),
  };
  for (const [name, text] of Object.entries(hostile)) {
    it(`stays linear on ${name} (${Math.round(text.length / 1000)} KB)`, () => {
      let best = Number.POSITIVE_INFINITY;
      for (let run = 0; run < 2; run++) {
        // CPU time, not wall time: on a loaded machine the wall clock counts other processes' turns
        const started = process.cpuUsage();
        normalizeMathDelimiters(text);
        const used = process.cpuUsage(started);
        best = Math.min(best, (used.user + used.system) / 1000);
      }
      // ~5–100 ms here; generous, far below the seconds of old
      expect(best).toBeLessThan(1000);
    });
  }
});

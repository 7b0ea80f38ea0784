/**
 * Models write math in more ways than remark-math reads: `$$…$$` on one line (meant as a
 * display formula, but parsed as inline), and LaTeX's `\[…\]` and `\(…\)`. This rewrites those
 * to the fenced `$$` and `$` forms, outside code, so formulas render the way their author meant.
 *
 * It runs on every response a page draws, on the server and in every voter's browser, over
 * text an import brought in: it must stay linear in the length of the text. Each step is a
 * single left-to-right pass (no pattern that retries from every opening delimiter).
 */
export function normalizeMathDelimiters(markdown: string): string {
  return splitOutsideCode(markdown, (text) =>
    replacePairs(
      replacePairs(
        oneLineDisplayMath(escapeLoneDollars(text)),
        "\\[",
        "\\]",
        (body) => `\n$$\n${body.trim()}\n$$\n`,
      ),
      "\\(",
      "\\)",
      (body) => `$${body.trim()}$`,
    ),
  );
}

/**
 * Dollars that are not math stay text: "$20 for the toy… $25" is two prices, not a formula.
 * remark-math pairs any two single `$`; here, as in Pandoc, an opening `$` is followed by a
 * non-space and a closing one follows a non-space and is not followed by a digit, within one
 * paragraph. An opener pairs only with the very next single `$` (where remark-math would close
 * it), so in "$5 and $x^2$" the price stays text and the formula renders. Every single `$` left
 * unpaired is escaped (`\$`), which markdown shows as is; `$$` and escaped dollars stay as they are.
 */
export function escapeLoneDollars(text: string): string {
  if (!text.includes("$")) return text;
  // A blank line ends a paragraph, and inline math cannot cross it.
  return text
    .split(/(\n[ \t]*\n)/)
    .map((part, i) => (i % 2 === 1 ? part : escapeInParagraph(part)))
    .join("");
}

const SPACE = /\s/;
const DIGIT = /[0-9]/;

function escapeInParagraph(text: string): string {
  // The single, unescaped dollars, with whether each may open or close inline math.
  const at: number[] = [];
  const opens: boolean[] = [];
  const closes: boolean[] = [];
  for (let i = text.indexOf("$"); i >= 0; i = text.indexOf("$", i)) {
    let end = i;
    while (text[end] === "$") end++;
    let slashes = 0;
    while (text[i - 1 - slashes] === "\\") slashes++;
    if (end - i === 1 && slashes % 2 === 0) {
      const before = text[i - 1];
      const after = text[i + 1];
      at.push(i);
      opens.push(after !== undefined && !SPACE.test(after));
      closes.push(
        before !== undefined && !SPACE.test(before) && !(after !== undefined && DIGIT.test(after)),
      );
    }
    i = end;
  }
  let out = "";
  let from = 0;
  for (let k = 0; k < at.length; ) {
    // remark-math closes at the very next single dollar, so only that one can make a pair.
    if (opens[k] && closes[k + 1]) {
      k += 2;
      continue;
    }
    const pos = at[k] as number;
    out += `${text.slice(from, pos)}\\`;
    from = pos;
    k++;
  }
  return out === "" ? text : out + text.slice(from);
}

/** `$$x$$` alone on its line → a fenced `$$` block. */
function oneLineDisplayMath(text: string): string {
  if (!text.includes("$$")) return text;
  return text.replace(
    // anchored at a line start and unable to cross `$` or a newline: linear per line
    /^([ \t]*)\$\$([^\n$]+?)\$\$[ \t]*$/gm,
    (_, indent: string, body: string) => `${indent}$$\n${indent}${body.trim()}\n${indent}$$`,
  );
}

/**
 * Replaces every `open`…`close` pair (shortest body of at least one character, left to right)
 * with `wrap(body)`: what `/open([\s\S]+?)close/g` does, without its quadratic cost. The
 * regex, on an opening delimiter with no closing one after it, scans to the end of the text,
 * then does so again from the next opening delimiter; 150,000 of them took 8.5 s. Here, once
 * no `close` follows an `open`, none can follow a later one either, so the pass stops.
 */
function replacePairs(
  text: string,
  open: string,
  close: string,
  wrap: (body: string) => string,
): string {
  let out = "";
  let from = 0;
  for (;;) {
    const start = text.indexOf(open, from);
    if (start < 0) break;
    const end = text.indexOf(close, start + open.length + 1);
    if (end < 0) break;
    out += text.slice(from, start) + wrap(text.slice(start + open.length, end));
    from = end + close.length;
  }
  return from === 0 ? text : out + text.slice(from);
}

/**
 * Applies `fn` to the parts of the text that are not fenced code blocks or inline code. Linear:
 * a fence runs to its closing fence or the end of the text, and inline code cannot cross a
 * backtick or a newline, so no character is scanned from more than one starting point.
 */
function splitOutsideCode(markdown: string, fn: (text: string) => string): string {
  const parts = markdown.split(
    /(^[ \t]*(?:```|~~~)[\s\S]*?(?:^[ \t]*(?:```|~~~)[ \t]*$|(?![\s\S]))|`[^`\n]+`)/m,
  );
  // most parts have no `$` or backslash at all: leave them without running the passes
  return parts.map((part, i) => (i % 2 === 1 || !/[$\\]/.test(part) ? part : fn(part))).join("");
}

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
      replacePairs(oneLineDisplayMath(text), "\\[", "\\]", (body) => `\n$$\n${body.trim()}\n$$\n`),
      "\\(",
      "\\)",
      (body) => `$${body.trim()}$`,
    ),
  );
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

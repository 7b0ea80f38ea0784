/**
 * Models write math in more ways than remark-math reads: `$$…$$` on one line (meant as a
 * display formula, but parsed as inline), and LaTeX's `\[…\]` and `\(…\)`. This rewrites those
 * to the fenced `$$` and `$` forms, outside code, so formulas render the way their author meant.
 */
export function normalizeMathDelimiters(markdown: string): string {
  return splitOutsideCode(markdown, (text) =>
    text
      .replace(
        /^([ \t]*)\$\$([^\n$]+?)\$\$[ \t]*$/gm,
        (_, indent: string, body: string) => `${indent}$$\n${indent}${body.trim()}\n${indent}$$`,
      )
      .replace(/\\\[([\s\S]+?)\\\]/g, (_, body: string) => `\n$$\n${body.trim()}\n$$\n`)
      .replace(/\\\(([\s\S]+?)\\\)/g, (_, body: string) => `$${body.trim()}$`),
  );
}

/** Applies `fn` to the parts of the text that are not fenced code blocks or inline code. */
function splitOutsideCode(markdown: string, fn: (text: string) => string): string {
  const parts = markdown.split(
    /(^[ \t]*(?:```|~~~)[\s\S]*?(?:^[ \t]*(?:```|~~~)[ \t]*$|(?![\s\S]))|`[^`\n]+`)/m,
  );
  return parts.map((part, i) => (i % 2 === 1 ? part : fn(part))).join("");
}

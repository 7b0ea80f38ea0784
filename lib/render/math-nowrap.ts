/**
 * A rehype step after rehype-katex: inline math and the punctuation that touches it ("$x$,",
 * "($n$)") go into one `span.math-nowrap`, so a narrow screen never wraps a lone comma or closing
 * bracket onto the next line. The browser may break between a KaTeX span and the text after it,
 * since they are separate inline boxes; a nowrap wrapper is the one way to keep them together.
 */

interface HastText {
  type: "text";
  value: string;
}
interface HastElement {
  type: "element";
  tagName: string;
  properties?: Record<string, unknown>;
  children: HastNode[];
}
type HastNode = HastText | HastElement | { type: string; children?: HastNode[] };

// What follows a formula without a space in running text: closing punctuation and brackets.
const AFTER = /^[.,;:!?%)\]}’”"'»…]+/;
// What precedes it: opening brackets and quotes.
const BEFORE = /[([{‘“"'«]+$/;

function isInlineMath(node: HastNode | undefined): node is HastElement {
  if (node?.type !== "element") return false;
  const cls = (node as HastElement).properties?.className;
  return Array.isArray(cls) && cls.includes("katex");
}

function text(value: string): HastText {
  return { type: "text", value };
}

function glue(children: HastNode[]): HastNode[] {
  const out: HastNode[] = [];
  for (let i = 0; i < children.length; i++) {
    const node = children[i] as HastNode;
    if (!isInlineMath(node)) {
      out.push(node);
      continue;
    }
    const inside: HastNode[] = [node];
    const prev = out[out.length - 1];
    if (prev?.type === "text") {
      const m = BEFORE.exec((prev as HastText).value);
      if (m) {
        const rest = (prev as HastText).value.slice(0, m.index);
        if (rest) out[out.length - 1] = text(rest);
        else out.pop();
        inside.unshift(text(m[0]));
      }
    }
    const next = children[i + 1];
    if (next?.type === "text") {
      const m = AFTER.exec((next as HastText).value);
      if (m) {
        inside.push(text(m[0]));
        const rest = (next as HastText).value.slice(m[0].length);
        children[i + 1] = text(rest);
      }
    }
    if (inside.length === 1) out.push(node);
    else
      out.push({
        type: "element",
        tagName: "span",
        properties: { className: ["math-nowrap"] },
        children: inside,
      });
  }
  return out.filter((n) => n.type !== "text" || (n as HastText).value !== "");
}

function walk(node: HastNode): void {
  if (!("children" in node) || !node.children) return;
  // A display formula's own span.katex sits inside span.katex-display: nothing to glue there.
  for (const child of node.children) if (!isInlineMath(child)) walk(child);
  node.children = glue(node.children);
}

/** The rehype plugin: use after rehype-katex. */
export function rehypeMathNowrap() {
  return (tree: HastNode) => walk(tree);
}

/**
 * A rehype step: blocks of model output that may scroll sideways on a phone (display math, GFM
 * tables) take keyboard focus, since a keyboard can scroll only what it can focus (WCAG 2.1.1;
 * axe's scrollable-region-focusable). Code blocks get the same through the markdown component.
 */

export interface HastNode {
  type: string;
  tagName?: string;
  properties?: Record<string, unknown>;
  children?: HastNode[];
}

function scrolls(node: HastNode): boolean {
  if (node.type !== "element") return false;
  if (node.tagName === "table") return true;
  const cls = node.properties?.className;
  return Array.isArray(cls) && cls.includes("katex-display");
}

function visit(node: HastNode): void {
  if (scrolls(node)) {
    node.properties = { ...node.properties, tabIndex: 0 };
    return; // nothing inside a formula or a table scrolls on its own
  }
  for (const child of node.children ?? []) visit(child);
}

export function rehypeScrollFocus() {
  return (tree: HastNode) => visit(tree);
}

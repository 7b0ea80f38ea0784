import { describe, expect, it } from "vitest";
import { type HastNode, rehypeScrollFocus } from "./scroll-focus";

const el = (tagName: string, className: string[] = [], children: HastNode[] = []): HastNode => ({
  type: "element",
  tagName,
  properties: { className },
  children,
});

describe("rehypeScrollFocus", () => {
  it("gives display math and tables keyboard focus, and nothing else", () => {
    const display = el("span", ["katex-display"], [el("span", ["katex"])]);
    const table = el("table");
    const inline = el("span", ["katex"]);
    const tree: HastNode = {
      type: "root",
      children: [el("p", [], [inline]), el("li", [], [display]), table],
    };
    rehypeScrollFocus()(tree);
    expect(display.properties).toMatchObject({ tabIndex: 0, className: ["katex-display"] });
    expect(table.properties).toMatchObject({ tabIndex: 0 });
    expect(inline.properties).not.toHaveProperty("tabIndex");
    expect(display.children?.[0]?.properties).not.toHaveProperty("tabIndex");
  });
});

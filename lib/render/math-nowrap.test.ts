import { describe, expect, it } from "vitest";
import { rehypeMathNowrap } from "./math-nowrap";

const math = (tex: string) => ({
  type: "element",
  tagName: "span",
  properties: { className: ["katex"] },
  children: [{ type: "text", value: tex }],
});
const t = (value: string) => ({ type: "text", value });
const p = (...children: unknown[]) => ({
  type: "root",
  children: [{ type: "element", tagName: "p", properties: {}, children }],
});
const nowrap = (...children: unknown[]) => ({
  type: "element",
  tagName: "span",
  properties: { className: ["math-nowrap"] },
  children,
});

function run(tree: ReturnType<typeof p>) {
  rehypeMathNowrap()(tree as never);
  return tree.children[0]?.children;
}

describe("rehypeMathNowrap", () => {
  it("keeps the punctuation after inline math with it", () => {
    expect(run(p(t("so "), math("x"), t(", and "), math("y"), t(".")))).toEqual([
      t("so "),
      nowrap(math("x"), t(",")),
      t(" and "),
      nowrap(math("y"), t(".")),
    ]);
  });

  it("keeps an opening bracket before and the closing one after", () => {
    expect(run(p(t("the sum ("), math("n"), t(") grows")))).toEqual([
      t("the sum "),
      nowrap(t("("), math("n"), t(")")),
      t(" grows"),
    ]);
  });

  it("leaves math followed by a space or a word as it is", () => {
    const children = [t("a "), math("x"), t(" b")];
    expect(run(p(...children))).toEqual(children);
  });

  it("looks inside nested elements, not inside the formula", () => {
    const tree = {
      type: "root",
      children: [
        {
          type: "element",
          tagName: "li",
          properties: {},
          children: [{ type: "element", tagName: "strong", children: [math("z"), t("!")] }],
        },
      ],
    };
    rehypeMathNowrap()(tree as never);
    expect(tree.children[0]?.children[0]?.children).toEqual([nowrap(math("z"), t("!"))]);
  });
});

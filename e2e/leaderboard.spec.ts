import type { Locator, Page } from "@playwright/test";
import { ADMIN, expect, test } from "./fixtures";
import { ArenaPage } from "./pages/arena-page";
import { LeaderboardPage, syntheticView } from "./pages/leaderboard-page";

test("votes cast in the arena show up on the leaderboard with their models", async ({
  page,
  browser,
}) => {
  test.setTimeout(60_000);
  const arena = new ArenaPage(page);
  const tally = new Map<string, number>();
  await arena.goto();
  for (let i = 0; i < 4; i++) {
    await arena.voteButton(i % 2 ? "a" : "b").click();
    await arena.expectRevealed();
    for (const side of [arena.modelA, arena.modelB]) {
      const name = (await side.locator("span").first().textContent()) ?? "";
      tally.set(name, (tally.get(name) ?? 0) + 1);
    }
    await arena.newBattle.click();
    await expect(arena.modelA).toHaveCount(0);
  }
  const board = new LeaderboardPage(await browser.newPage());
  await board.goto();
  // the fit worker publishes a new snapshot within seconds of a vote; the open page picks it up
  await expect.poll(() => board.total(), { timeout: 10_000 }).toBe(4);
  for (const [name, votes] of tally) {
    const row = board.rows.filter({ hasText: name });
    await expect(row).toHaveCount(1);
    // this spec's own database: these are the only votes
    expect(Number((await row.getByTestId("votes").textContent())?.replace(/,/g, ""))).toBe(votes);
  }
});

test("the math view counts only battles on math prompts", async ({ request }) => {
  // Vote through the API so there is data, then compare with the admin export's categories.
  for (let i = 0; i < 12; i++) {
    const battle = await (await request.post("/api/battles")).json();
    await request.post(`/api/battles/${battle.id}/vote`, { data: { winner: i % 3 ? "a" : "tie" } });
  }
  const exported = (await (
    await request.get("/api/admin/export/battles", {
      headers: { Authorization: `Bearer ${ADMIN.token}` },
    })
  ).json()) as { categories: string[]; excluded: boolean; identity_leak: boolean }[];
  const counted = exported.filter((b) => !b.excluded && !b.identity_leak);
  const math = await (await request.get("/api/leaderboard?category=math&ci=sandwich")).json();
  const overall = await (await request.get("/api/leaderboard?category=overall&ci=sandwich")).json();
  expect(math.totalVotes).toBe(counted.filter((b) => b.categories.includes("math")).length);
  expect(overall.totalVotes).toBe(counted.length);
  expect(math.totalVotes).toBeLessThan(overall.totalVotes);
  expect(math.totalVotes).toBeGreaterThan(0);
});

test("category switcher, CI method in the URL, and the CSV download", async ({ page }) => {
  const board = new LeaderboardPage(page);
  await board.goto();
  await board.switcher.getByRole("link", { name: /^Math/ }).click();
  await expect(page).toHaveURL(/\/leaderboard\/math$/);
  await expect(page.getByRole("heading", { name: "Leaderboard · Math" })).toBeVisible();
  await expect(page.getByRole("columnheader", { name: "Δ" })).toBeVisible();
  await page.getByRole("link", { name: "sandwich" }).click();
  await expect(page).toHaveURL(/\/leaderboard\/math\?ci=sandwich$/);
  await expect(page.getByText("Score with 95% confidence interval (sandwich)")).toBeVisible();
  await page.getByRole("link", { name: "reweighted" }).click();
  await expect(page).toHaveURL(/\/leaderboard\/math\?ci=reweighted$/);
  await expect(page.getByText("Score with 95% confidence interval (reweighted)")).toBeVisible();
  await page.getByRole("link", { name: "sandwich" }).click();
  await expect(page).toHaveURL(/\/leaderboard\/math\?ci=sandwich$/);
  const [download] = await Promise.all([page.waitForEvent("download"), board.csv.click()]);
  const csv = await (await download.createReadStream()).toArray();
  const text = Buffer.concat(csv).toString("utf8");
  expect(text.split("\r\n")[0]).toBe(
    "rank,delta,model,display_name,organization,license,rating,ci_lower,ci_upper,votes,win_rate,provisional,deprecated,ci_status,worst_rank,component",
  );
  expect(text.split("\r\n").length).toBeGreaterThan(2);
  await expect(page.getByTestId("win-fraction-heatmap")).toBeVisible();
  await expect(page.getByTestId("battle-count-heatmap")).toBeVisible();
});

test("an open leaderboard updates by itself after a vote in another tab", async ({
  page,
  context,
}) => {
  const board = new LeaderboardPage(page);
  await board.goto();
  const before = await board.total();
  const other = await context.newPage();
  const arena = new ArenaPage(other);
  await arena.goto();
  await arena.voteButton("a").click();
  await arena.expectRevealed();
  await expect(async () => expect(await board.total()).toBe(before + 1)).toPass({
    timeout: 5_000,
  });
});

test("a model page shows its categories and opponents", async ({ page }) => {
  const board = new LeaderboardPage(page);
  await board.goto();
  const first = board.rows.first();
  const name = (await first.getByRole("link").textContent()) ?? "";
  await first.getByRole("link").click();
  await expect(page.getByTestId("model-name")).toHaveText(name);
  await expect(page.getByTestId("model-categories").getByRole("row")).not.toHaveCount(1);
  await expect(page.getByTestId("model-opponents").getByRole("row")).not.toHaveCount(1);
});

const PHONE = { width: 375, height: 812 };
const DESKTOP = { width: 1440, height: 900 };

/** The page scrolls sideways when its content is wider than the window. */
async function pageScrollWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth);
}

/** Smallest rendered font size in px of any text in `root` (an SVG's viewBox scale included). */
async function smallestText(root: Locator): Promise<number> {
  return root.evaluate((el) => {
    const sizes = [el, ...el.querySelectorAll("*")]
      .filter((e) => [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent?.trim()))
      .filter((e) => !e.closest(".sr-only"))
      .map((e) => {
        const px = Number.parseFloat(getComputedStyle(e).fontSize);
        const scale = e instanceof SVGGraphicsElement ? (e.getScreenCTM()?.a ?? 1) : 1;
        return px * scale;
      });
    return Math.min(...sizes);
  });
}

test.describe("on a phone", () => {
  test.use({ viewport: PHONE });
  test.describe.configure({ timeout: 90_000 });

  test("the table shows rank, model, score and interval without a sideways scroll; votes, organization and license go under the name", async ({
    page,
  }) => {
    const board = new LeaderboardPage(page);
    await board.goto();
    expect(await pageScrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await board.showView(syntheticView(16));
    expect(await pageScrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
    const card = board.table.locator("..");
    expect(await card.evaluate((c) => c.scrollWidth - c.clientWidth)).toBeLessThanOrEqual(0);
    const row = board.rows.first();
    // the rank spread: the best and the worst rank the intervals allow
    await expect(row.getByTestId("rank")).toHaveText("1 ↔ 6");
    for (const cell of [row.getByTestId("rank"), row.getByRole("link"), row.getByTestId("score")]) {
      await expect(cell).toBeInViewport({ ratio: 1 });
    }
    await expect(row.getByTestId("score")).toContainText("+30/−30");
    const details = row.getByTestId("row-details");
    await expect(details).toBeInViewport({ ratio: 1 });
    await expect(details).toHaveText(
      "12,345 votes · Northwind Research Laboratories · CC-BY-NC-SA-4.0",
    );
  });

  test("the interval chart's text stays readable", async ({ page }) => {
    const board = new LeaderboardPage(page);
    await board.goto();
    await board.showView(syntheticView(50));
    expect(await smallestText(board.ciChart)).toBeGreaterThanOrEqual(11);
    expect(await pageScrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
  });
});

test("models that never met the others are shown apart, ranked among themselves", async ({
  page,
}) => {
  const board = new LeaderboardPage(page);
  await board.goto();
  const view = syntheticView(8);
  view.rows = view.rows.map((r, i) =>
    i < 6 ? r : { ...r, component: 1, rank: i - 5, worstRank: 2 },
  );
  await board.showView(view);
  await expect(board.table.getByTestId("leaderboard-row")).toHaveCount(6);
  const apart = page.getByTestId("apart-models");
  await expect(apart.getByRole("heading", { name: "Models on a separate scale" })).toBeVisible();
  await expect(apart.getByTestId("leaderboard-row")).toHaveCount(2);
  await expect(apart.getByTestId("rank").first()).toHaveText("1 ↔ 2");
});

test("on a desktop each figure keeps its own column", async ({ page }) => {
  test.setTimeout(90_000);
  await page.setViewportSize(DESKTOP);
  const board = new LeaderboardPage(page);
  await board.goto();
  await board.showView(syntheticView(8));
  for (const name of ["95% CI", "Votes", "Organization", "License"]) {
    await expect(page.getByRole("columnheader", { name })).toBeVisible();
  }
  await expect(board.rows.first().getByTestId("row-details")).toBeHidden();
  await expect(board.rows.first().getByTestId("votes")).toHaveText("12,345");
});

for (const viewport of [PHONE, DESKTOP]) {
  for (const n of [8, 16, 50]) {
    test(`heatmaps of ${n} models at ${viewport.width} px: every label reachable, names stay in view, numbers readable`, async ({
      page,
    }) => {
      test.setTimeout(90_000);
      await page.setViewportSize(viewport);
      const board = new LeaderboardPage(page);
      await board.goto();
      await board.showView(syntheticView(n));
      expect(await pageScrollWidth(page)).toBeLessThanOrEqual(viewport.width);
      for (const id of ["win-fraction-heatmap", "battle-count-heatmap"] as const) {
        const { table, box } = board.heatmap(id);
        const rowName = table.locator("tbody th").first();
        const nameBefore = await rowName.boundingBox();
        await box.evaluate((b) => b.scrollTo(b.scrollWidth, 0));
        const within = await box.boundingBox();
        const last = await table.locator("thead th").last().locator("span").boundingBox();
        const nameAfter = await rowName.boundingBox();
        if (!within || !last || !nameBefore || !nameAfter) throw new Error("heatmap not drawn");
        // the last column's label lies inside the box, not cut at its edge
        expect(last.x).toBeGreaterThanOrEqual(within.x - 0.5);
        expect(last.x + last.width).toBeLessThanOrEqual(within.x + within.width + 0.5);
        expect(last.y).toBeGreaterThanOrEqual(within.y - 0.5);
        // scrolled to the far right, the row names stay put (sticky, give or take the cell spacing)
        expect(nameAfter.x).toBeGreaterThanOrEqual(within.x - 0.5);
        expect(Math.abs(nameAfter.x - nameBefore.x)).toBeLessThanOrEqual(4);
        const cell = table.locator("tbody td[title]").first();
        await expect(cell).toHaveAttribute("title", /^Synthetic Model 1 70B .* vs .*: \S+$/);
        if (n <= 20) expect(await smallestText(table)).toBeGreaterThanOrEqual(11);
        else await expect(cell.locator(".sr-only")).toHaveText(/\S/);
      }
    });
  }
}

test("a provisional model whose interval cannot be estimated shows — and says why", async ({
  page,
}) => {
  test.setTimeout(90_000);
  await page.setViewportSize(DESKTOP);
  const board = new LeaderboardPage(page);
  await board.goto();
  const view = syntheticView(3, { provisional: true, votes: 3 });
  const [first] = view.rows;
  if (first) Object.assign(first, { ciLower: first.rating, ciUpper: first.rating });
  if (first) first.ciStatus = "too-few-votes";
  await board.showView(view);
  await expect(board.rows.first().getByTestId("ci")).toHaveText("—no interval yet, too few votes");
  await expect(board.rows.nth(1).getByTestId("ci")).toHaveText("+30/−30");
  await expect(page.getByTestId("ci-footnote")).toContainText("Provisional: fewer than 100 votes");
});

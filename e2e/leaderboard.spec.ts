import { ADMIN, expect, test } from "./fixtures";
import { ArenaPage } from "./pages/arena-page";
import { LeaderboardPage } from "./pages/leaderboard-page";

test("votes cast in the arena show up on the leaderboard with their models", async ({
  page,
  browser,
}) => {
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
  for (const [name, votes] of tally) {
    const row = board.rows.filter({ hasText: name });
    await expect(row).toHaveCount(1);
    // this spec's own database: these are the only votes
    expect(Number((await row.getByTestId("votes").textContent())?.replace(/,/g, ""))).toBe(votes);
  }
  expect(await board.total()).toBe(4);
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
  const [download] = await Promise.all([page.waitForEvent("download"), board.csv.click()]);
  const csv = await (await download.createReadStream()).toArray();
  const text = Buffer.concat(csv).toString("utf8");
  expect(text.split("\r\n")[0]).toBe(
    "rank,delta,model,display_name,organization,license,rating,ci_lower,ci_upper,votes,win_rate,provisional,deprecated",
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

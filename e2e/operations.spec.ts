import fs from "node:fs";
import path from "node:path";
import { expect, test } from "./fixtures";
import { signIn } from "./pages/admin-page";
import { ArenaPage } from "./pages/arena-page";
import { LeaderboardPage } from "./pages/leaderboard-page";

// On a server of its own (e2e/fixtures.ts), like every spec: the real battles it loads reach no
// other spec's arena.
const REAL = path.resolve("../shared/data/lmsys-2023-en-battles-with-text.jsonl");

test.describe.configure({ mode: "serial" });

// CI always has ../shared/data beside the clone; a checkout without it skips this file.
test.beforeEach(({ baseURL }, testInfo) =>
  testInfo.skip(!baseURL || !fs.existsSync(REAL), "needs ../shared/data"),
);

test("an admin imports the real battles file and its prompts reach the arena", async ({
  page,
  browser,
}) => {
  await signIn(page, "/admin/import");
  await page.goto("/admin/import");
  await page.getByTestId("import-file").setInputFiles(REAL);
  await page.getByTestId("import-votes").check();
  await page.getByTestId("import-preview").click();
  await expect(page.getByTestId("import-summary")).toContainText("Dry run");
  await expect(page.getByTestId("summary-format")).toHaveText("battles");
  await expect(page.getByTestId("summary-votes")).toHaveText("1756");
  await page.getByTestId("import-submit").click();
  await expect(page.getByTestId("import-summary")).toContainText("Imported", { timeout: 30_000 });
  await expect(page.getByTestId("summary-votes")).toHaveText("1756");

  const prompts = new Set(
    fs
      .readFileSync(REAL, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { prompt: string }).prompt.trim().slice(0, 40)),
  );
  const voter = await browser.newPage();
  const arena = new ArenaPage(voter);
  await arena.goto();
  let seen = false;
  for (let i = 0; i < 6 && !seen; i++) {
    const text = ((await arena.prompt.innerText()).replace(/^Prompt\s*/i, "") ?? "")
      .trim()
      .slice(0, 40);
    seen = [...prompts].some((p) => p.length > 10 && text.startsWith(p.slice(0, 30)));
    await arena.voteButton("tie").click();
    await arena.expectRevealed();
    await arena.newBattle.click();
    await expect(arena.modelA).toHaveCount(0);
  }
  expect(seen).toBe(true);
});

test("refusing a broken file writes nothing", async ({ page }) => {
  await signIn(page, "/admin/import");
  const before = await (await page.request.get("/api/health")).json();
  await page.goto("/admin/import");
  await page.getByTestId("import-file").setInputFiles({
    name: "broken.jsonl",
    mimeType: "application/jsonl",
    buffer: Buffer.from(
      `${JSON.stringify({ prompt: "fine", responses: { a: "x", b: "y" } })}\n{"prompt": "broken", "responses": {"a": ""}}\n`,
    ),
  });
  await page.getByTestId("import-submit").click();
  await expect(page.getByTestId("import-error")).toContainText("line 2");
  expect((await (await page.request.get("/api/health")).json()).prompts).toBe(before.prompts);
});

test("renaming a model shows on the leaderboard", async ({ page }) => {
  await signIn(page, "/admin/models");
  await page.goto("/admin/models");
  const form = page.getByTestId("model-koala-13b");
  await form.getByLabel("Display name").fill("Koala 13B (renamed)");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByText("Saved Koala 13B (renamed).")).toBeVisible();
  const board = new LeaderboardPage(page);
  await board.goto();
  await expect(board.row("koala-13b")).toContainText("Koala 13B (renamed)");
});

test("excluding a voter drops their votes from the leaderboard", async ({ page, browser }) => {
  // votes, a sign-in (bcrypt), and waiting twice for the leaderboard to catch up
  test.setTimeout(90_000);
  const voterContext = await browser.newContext();
  const arena = new ArenaPage(await voterContext.newPage());
  await arena.goto();
  for (let i = 0; i < 3; i++) {
    await arena.voteButton("a").click();
    await arena.expectRevealed();
    await arena.newBattle.click();
    await expect(arena.modelA).toHaveCount(0);
  }
  const cookie = (await voterContext.cookies()).find((c) => c.name === "arena_voter");
  const voterId = cookie?.value.split(".")[0] ?? "";
  expect(voterId).not.toBe("");
  const board = new LeaderboardPage(page);
  const before = await board.settledTotal();

  await signIn(page, "/admin/votes");
  await page.goto("/admin/votes");
  await page.getByTestId(`toggle-voter-${voterId}`).click();
  await expect(page.getByTestId(`toggle-voter-${voterId}`)).toHaveText("Count again");
  // Identity-leak votes were never counted, so the drop is at most 3.
  await expect
    .poll(
      async () => {
        await board.goto();
        return board.total();
      },
      { timeout: 10_000 },
    )
    .toBeLessThan(before);
  expect(before - (await board.settledTotal())).toBeLessThanOrEqual(3);
});

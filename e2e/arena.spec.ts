import { expect, identityStrings, test } from "./fixtures";
import { ArenaPage } from "./pages/arena-page";

test.describe("voting", () => {
  test("shows a prompt and two anonymous responses", async ({ page }) => {
    const arena = new ArenaPage(page);
    await arena.goto();
    await expect(arena.responseA).toContainText("Model A");
    await expect(arena.responseB).toContainText("Model B");
    await expect(arena.modelA).toHaveCount(0);
    const html = await page.content();
    for (const s of identityStrings()) expect(html).not.toContain(s);
  });

  test("a click votes and reveals both models", async ({ page }) => {
    const arena = new ArenaPage(page);
    await arena.goto();
    await arena.voteButton("a").click();
    await arena.expectRevealed();
    await expect(arena.voteButton("a")).toHaveAttribute("aria-pressed", "true");
    const names = identityStrings();
    const revealed = `${await arena.modelA.textContent()} ${await arena.modelB.textContent()}`;
    expect(names.some((n) => revealed.includes(n))).toBe(true);
  });

  test("keyboard shortcuts vote and start a new battle", async ({ page }) => {
    const arena = new ArenaPage(page);
    await arena.goto();
    const firstPrompt = await arena.prompt.textContent();
    await page.keyboard.press("b");
    await arena.expectRevealed();
    await expect(arena.voteButton("b")).toHaveAttribute("aria-pressed", "true");
    await page.keyboard.press("n");
    await expect(arena.modelA).toHaveCount(0);
    await expect(arena.voteButton("a")).toBeEnabled();
    await expect(arena.prompt).not.toHaveText(firstPrompt ?? "");
    await page.keyboard.press("t");
    await arena.expectRevealed();
  });

  test("a battle takes exactly one vote", async ({ page }) => {
    const arena = new ArenaPage(page);
    await arena.goto();
    const votes: string[] = [];
    page.on("request", (r) => {
      if (r.url().includes("/vote")) votes.push(r.url());
    });
    await arena.voteButton("tie").click();
    await arena.expectRevealed();
    await page.keyboard.press("a");
    await arena.voteButton("b").click({ force: true });
    expect(votes).toHaveLength(1);
    const again = await page.request.post(votes[0] as string, { data: { winner: "a" } });
    expect(again.status()).toBe(409);
    expect(await again.json()).toMatchObject({ error: expect.any(String) });
  });

  test("New battle loads the next one without a reload", async ({ page }) => {
    const arena = new ArenaPage(page);
    await arena.goto();
    await page.evaluate(() => {
      (window as unknown as { marker: number }).marker = 42;
    });
    await arena.voteButton("bothbad").click();
    await arena.expectRevealed();
    await arena.newBattle.click();
    await expect(arena.modelA).toHaveCount(0);
    await expect(arena.voteButton("a")).toBeEnabled();
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
  });
});

test.describe("phone", () => {
  test.use({ viewport: { width: 375, height: 800 }, hasTouch: true, isMobile: true });

  test("stacks the responses and fits the screen", async ({ page }) => {
    const arena = new ArenaPage(page);
    await arena.goto();
    const a = await arena.responseA.boundingBox();
    const b = await arena.responseB.boundingBox();
    expect(a && b && b.y >= a.y + a.height).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      375,
    );
    await arena.voteButton("a").tap();
    await arena.expectRevealed();
  });
});

test.describe("rendering", () => {
  test("math renders with KaTeX and code is highlighted", async ({ page }) => {
    const arena = new ArenaPage(page);
    await arena.goto();
    await arena.voteButton("a").click();
    await arena.expectRevealed();
    await arena.serveNextBattle({
      id: "fake-battle-math-000000",
      prompt: "Compute $\\int_0^1 x^2\\,dx$.",
      a: { text: "$$\\int_0^1 x^2\\,dx = \\frac{1}{3}$$" },
      b: { text: "```python\ndef f(x):\n    return x ** 2\n```" },
    });
    await arena.newBattle.click();
    await expect(arena.responseA.locator(".katex-display .katex-html")).toBeVisible();
    await expect(arena.responseA.locator(".katex-mathml annotation")).toHaveText(
      "\\int_0^1 x^2\\,dx = \\frac{1}{3}",
    );
    await expect(arena.prompt.locator(".katex")).toHaveCount(1);
    await expect(arena.responseB.locator("code.language-python .hljs-keyword").first()).toHaveText(
      "def",
    );
  });

  test("HTML in a response stays inert text", async ({ page }) => {
    const arena = new ArenaPage(page);
    const dialogs: string[] = [];
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await arena.goto();
    await arena.voteButton("a").click();
    await arena.expectRevealed();
    await arena.serveNextBattle({
      id: "fake-battle-xss-0000000",
      prompt: "<script>window.__xss = 'prompt'</script> hello",
      a: {
        text: "<script>window.__xss = 'a'; alert(1)</script>\n\n<img src=x onerror=\"window.__xss='img'\">",
      },
      b: {
        text: "[click](javascript:window.__xss='link') and <svg onload=\"window.__xss='svg'\"></svg>",
      },
    });
    await arena.newBattle.click();
    await expect(arena.responseA).toContainText("<script>");
    await expect(arena.responseA.locator("script, img")).toHaveCount(0);
    await expect(arena.responseB.locator("svg")).toHaveCount(0);
    const href = await arena.responseB.locator("a").first().getAttribute("href");
    expect(href ?? "").not.toContain("javascript:");
    await arena.responseB
      .locator("a")
      .first()
      .click()
      .catch(() => {});
    await page.waitForTimeout(300);
    expect(
      await page.evaluate(() => (window as unknown as { __xss?: string }).__xss),
    ).toBeUndefined();
    expect(dialogs).toEqual([]);
  });
});

test.describe("states", () => {
  test("a network failure offers a retry and keeps the battle", async ({ page }) => {
    const arena = new ArenaPage(page);
    await arena.goto();
    await page.route("**/vote", (route) => route.abort("internetdisconnected"), { times: 1 });
    await arena.voteButton("a").click();
    await expect(arena.error).toContainText("Could not reach the server");
    await arena.error.getByRole("button", { name: "Retry vote" }).click();
    await arena.expectRevealed();
  });

  test("an expired battle offers a new one", async ({ page }) => {
    const arena = new ArenaPage(page);
    await arena.goto();
    await page.route("**/vote", (route) =>
      route.fulfill({
        status: 410,
        contentType: "application/json",
        body: JSON.stringify({
          error: "This battle has expired. Start a new battle.",
          code: "battle_expired",
        }),
      }),
    );
    await arena.voteButton("a").click();
    await expect(arena.error).toContainText("expired");
    await expect(arena.error.getByRole("button", { name: "Retry vote" })).toHaveCount(0);
    await page.unroute("**/vote");
    await arena.error.getByTestId("new-battle").click();
    await expect(arena.error).toHaveCount(0);
    await arena.voteButton("b").click();
    await arena.expectRevealed();
  });

  test("an empty arena says so and points to the import", async ({ page }) => {
    const arena = new ArenaPage(page);
    await arena.goto();
    await arena.voteButton("a").click();
    await arena.expectRevealed();
    await page.route("**/api/battles", (route) =>
      route.fulfill({
        status: 503,
        contentType: "application/json",
        body: JSON.stringify({ error: "empty", code: "arena_empty" }),
      }),
    );
    await arena.newBattle.click();
    await expect(arena.empty).toContainText("The arena is empty");
    await expect(arena.empty.getByRole("link", { name: "import page" })).toHaveAttribute(
      "href",
      "/admin/import",
    );
  });
});

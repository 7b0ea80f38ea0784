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
    // A keyboard and a mouse: the key hints show.
    await expect(arena.voteButton("b").locator("kbd")).toBeVisible();
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

  test("a reload before the vote brings the same battle back; after the vote a new one", async ({
    page,
  }) => {
    const arena = new ArenaPage(page);
    await arena.goto();
    const id = await arena.battleId();
    const prompt = await arena.prompt.textContent();
    expect(id).toBeTruthy();
    for (let i = 0; i < 2; i++) {
      await page.reload();
      await expect(arena.prompt).toBeVisible();
      expect(await arena.battleId()).toBe(id);
      await expect(arena.prompt).toHaveText(prompt ?? "");
    }
    await arena.voteButton("a").click();
    await arena.expectRevealed();
    await page.reload();
    await expect(arena.prompt).toBeVisible({ timeout: 20_000 });
    await expect.poll(() => arena.battleId()).not.toBe(id);
    await expect(arena.voteButton("a")).toBeEnabled();
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
  test.use({ viewport: { width: 375, height: 812 }, hasTouch: true, isMobile: true });

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

  test("a compact vote bar without key hints, and both names in view right after the vote", async ({
    page,
  }) => {
    const arena = new ArenaPage(page);
    await arena.goto();
    const height = async () => (await arena.dock.boundingBox())?.height ?? Infinity;
    expect(await height()).toBeLessThanOrEqual(90);
    for (const w of ["a", "b", "tie", "bothbad"] as const) {
      await expect(arena.voteButton(w)).toBeVisible();
      await expect(arena.voteButton(w).locator("kbd")).toBeHidden();
    }
    await arena.voteButton("b").tap();
    await arena.expectRevealed();
    for (const name of [arena.revealA, arena.revealB]) {
      await expect(name).toBeInViewport({ ratio: 1 });
      expect((await name.textContent())?.length).toBeGreaterThan(3);
    }
    await expect(arena.dock).toContainText("You picked B");
    expect(await height()).toBeLessThanOrEqual(90);
    await expect(arena.newBattle).toBeInViewport();
    await expect(arena.newBattle.locator("kbd")).toBeHidden();
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

  test("prices stay text, inline math and code render cleanly", async ({ page }) => {
    const arena = new ArenaPage(page);
    await arena.goto();
    await arena.voteButton("a").click();
    await arena.expectRevealed();
    await arena.serveNextBattle({
      id: "fake-battle-prices-00000",
      prompt: "Who pays more: $20 for the toy or $25 for the car?",
      a: {
        text: "The first gives you $20 for the toy… the second $25. With $p = 20$, the ratio is $\\dfrac{25}{20}$, so `npm start` and $x^2$.",
      },
      b: { text: "Between $11,000-$15,000, or $5/$10 a month." },
    });
    await arena.newBattle.click();
    await expect(arena.prompt).toContainText("$20 for the toy or $25 for the car?");
    await expect(arena.prompt.locator(".katex")).toHaveCount(0);
    await expect(arena.responseB).toContainText("Between $11,000-$15,000, or $5/$10 a month.");
    await expect(arena.responseB.locator(".katex")).toHaveCount(0);
    await expect(arena.responseA).toContainText("you $20 for the toy… the second $25.");
    await expect(arena.responseA.locator(".katex")).toHaveCount(3);
    // Punctuation after inline math wraps with it, never alone onto the next line.
    await expect(arena.responseA.locator(".math-nowrap").first()).toHaveText(/,$/);
    // Inline code without the typography plugin's literal backticks.
    const code = arena.responseA.locator("p code").first();
    await expect(code).toHaveText("npm start");
    const marks = await code.evaluate((el) => [
      getComputedStyle(el, "::before").content,
      getComputedStyle(el, "::after").content,
    ]);
    expect(marks.every((m) => m === "none" || m === "normal" || m === '""')).toBe(true);
  });

  test("a tall inline formula overlaps neither the line above nor the line below", async ({
    page,
  }) => {
    await page.setViewportSize({ width: 375, height: 812 });
    const arena = new ArenaPage(page);
    await arena.goto();
    await arena.voteButton("a").click();
    await arena.expectRevealed();
    await arena.serveNextBattle({
      id: "fake-battle-dfrac-000000",
      prompt: "A fraction",
      a: {
        text: "Here is a long sentence that fills the first line, then the answer $\\dfrac{n(n+1)}{2}$ for every n, which we now prove by induction on the number of terms in the sum, line after line.",
      },
      b: { text: "ok" },
    });
    await arena.newBattle.click();
    const formula = arena.responseA.locator(".katex").first();
    await expect(formula).toBeVisible();
    const gaps = await formula.evaluate((math) => {
      // The formula's glyph boxes, and the boxes of the paragraph's text around it.
      const ink = [...math.querySelectorAll(".katex-html *")]
        .filter((e) => e.children.length === 0 && e.textContent?.trim())
        .map((e) => e.getBoundingClientRect());
      const top = Math.min(...ink.map((r) => r.top));
      const bottom = Math.max(...ink.map((r) => r.bottom));
      const texts: DOMRect[] = [];
      const walker = document.createTreeWalker(math.closest("p") as Node, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (math.contains(n) || !n.textContent?.trim()) continue;
        const range = document.createRange();
        range.selectNodeContents(n);
        texts.push(...range.getClientRects());
      }
      const middle = (top + bottom) / 2;
      return {
        above: top - Math.max(...texts.filter((r) => r.bottom < middle).map((r) => r.bottom)),
        below: Math.min(...texts.filter((r) => r.top > middle).map((r) => r.top)) - bottom,
      };
    });
    expect(gaps.above).toBeGreaterThanOrEqual(0);
    expect(gaps.below).toBeGreaterThanOrEqual(0);
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

test.describe("about, icon and accessibility", () => {
  test("an icon, an About page linked from the header, admin sign-in in the footer", async ({
    page,
    request,
  }) => {
    await page.goto("/about");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("How the arena works");
    for (const topic of ["Bradley–Terry", "Rank (UB)", "provisional", "Identity leaks", "cite"])
      await expect(page.getByTestId("about")).toContainText(topic);
    const icons = await page
      .locator('link[rel="icon"]')
      .evaluateAll((links) => links.map((l) => l.getAttribute("href") ?? ""));
    const types: string[] = [];
    for (const href of icons) {
      const res = await request.get(href);
      expect(res.status(), href).toBe(200);
      types.push(res.headers()["content-type"] ?? "");
    }
    expect(types.some((t) => t.includes("image/svg+xml"))).toBe(true);
    // Browsers that ignore the SVG icon still ask for /favicon.ico.
    expect((await request.get("/favicon.ico")).status()).toBe(200);
    await page.goto("/");
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "About" })
      .click();
    await expect(page).toHaveURL(/\/about$/);
    await expect(page.getByTestId("admin-sign-in")).toHaveAttribute("href", "/signin");
  });
});

/**
 * Accessibility: axe-core (WCAG 2 A/AA and best practices) over every page the app serves, at a
 * phone's and a desktop's width. Pages are found on disk, so a new page is checked without
 * anyone remembering to list it; a dynamic segment needs a sample value below.
 */
import fs from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { signIn } from "./pages/admin-page";
import { ArenaPage } from "./pages/arena-page";

/** A value for each dynamic route segment: one the demo set is sure to have. */
const SAMPLE: Record<string, string> = { "[category]": "math", "[slug]": "aurora-large" };

function pageFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "api" ? [] : pageFiles(p);
    return e.name === "page.tsx" ? [p] : [];
  });
}

function url(file: string): string {
  const parts = path
    .relative(path.resolve("app"), path.dirname(file))
    .split(path.sep)
    .filter((s) => s && !/^\(.*\)$/.test(s))
    .map((s) => {
      if (!/^\[.*\]$/.test(s)) return s;
      const value = SAMPLE[s];
      if (!value) throw new Error(`${file}: give the segment ${s} a sample value in SAMPLE`);
      return value;
    });
  return `/${parts.join("/")}`;
}

const pages = pageFiles(path.resolve("app")).map(url).sort();
const publicPages = pages.filter((u) => !u.startsWith("/admin"));
const adminPages = pages.filter((u) => u.startsWith("/admin"));

async function violations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"])
    // only what fails: axe then skips collecting the nodes that pass, most of its time
    .options({ resultTypes: ["violations"] })
    .analyze();
  return result.violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes
        .slice(0, 3)
        .map((n) => n.target.join(" "))
        .join("; ")}`,
  );
}

for (const width of [375, 1440]) {
  test.describe(`axe at ${width} px`, () => {
    test.use({ viewport: { width, height: width < 800 ? 812 : 900 } });
    // one axe run per page, each a few seconds on a busy machine
    test.describe.configure({ timeout: 180_000 });

    test("every public page, and the 404 page", async ({ page }) => {
      expect(publicPages).toContain("/");
      // a few votes first, so the leaderboard pages are checked with rows, charts and heatmaps
      const arena = new ArenaPage(page);
      await arena.goto();
      for (let i = 0; i < 3; i++) {
        await arena.voteButton(i % 2 ? "a" : "b").click();
        await arena.expectRevealed();
        // the arena after a vote: both names, the pick, New battle
        if (i === 0) expect(await violations(page), "/ after a vote").toEqual([]);
        await arena.newBattle.click();
        await expect(arena.prompt).toBeVisible();
      }
      for (const u of [...publicPages, "/no-such-page"]) {
        if (u === "/") await arena.goto();
        else await page.goto(u);
        expect(await violations(page), u).toEqual([]);
      }
    });

    test("every admin page", async ({ page }) => {
      expect(adminPages.length).toBeGreaterThan(3);
      await signIn(page);
      for (const u of adminPages) {
        await page.goto(u);
        expect(await violations(page), u).toEqual([]);
      }
    });
  });
}

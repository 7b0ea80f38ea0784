import { expect, type Locator, type Page } from "@playwright/test";
import type { LeaderboardEntry, LeaderboardView } from "@/lib/arena/leaderboard";

export class LeaderboardPage {
  readonly table: Locator;
  readonly rows: Locator;
  readonly totalVotes: Locator;
  readonly csv: Locator;
  readonly switcher: Locator;
  readonly ciChart: Locator;

  constructor(readonly page: Page) {
    // the leaderboard proper; models on a separate scale have a table of their own after it
    this.table = page.getByTestId("leaderboard-table").first();
    this.rows = page.getByTestId("leaderboard-row");
    this.totalVotes = page.getByTestId("total-votes");
    this.csv = page.getByTestId("csv-download");
    this.switcher = page.getByTestId("category-switcher");
    this.ciChart = page.getByTestId("ci-chart");
  }

  async goto(category = "overall", query = "") {
    await this.page.goto(
      `${category === "overall" ? "/leaderboard" : `/leaderboard/${category}`}${query}`,
    );
    await expect(this.table).toBeVisible();
  }

  row(model: string): Locator {
    return this.page.locator(`[data-testid="leaderboard-row"][data-model="${model}"]`);
  }

  /** A heatmap's table and the box it scrolls in. */
  heatmap(testId: "win-fraction-heatmap" | "battle-count-heatmap") {
    return { table: this.page.getByTestId(testId), box: this.page.getByTestId(`${testId}-scroll`) };
  }

  async votesOf(model: string): Promise<number> {
    return Number((await this.row(model).getByTestId("votes").textContent())?.replace(/,/g, ""));
  }

  async total(): Promise<number> {
    return Number((await this.totalVotes.textContent())?.replace(/,/g, ""));
  }

  /**
   * The total once the leaderboard has caught up with the votes already cast: the fit worker
   * publishes within seconds, so the page is reloaded until two readings a second and a half
   * apart agree.
   */
  async settledTotal(): Promise<number> {
    let last = Number.NaN;
    for (let i = 0; i < 10; i++) {
      await this.goto();
      const now = await this.total();
      if (now === last) return now;
      last = now;
      await this.page.waitForTimeout(1500);
    }
    throw new Error("the leaderboard kept changing");
  }

  /**
   * Serve `view` to the open page's live updates (a new version, then the view), so a board of
   * any size renders without touching the shared database.
   */
  async showView(view: LeaderboardView) {
    await this.page.route("**/api/leaderboard/version?*", (route) =>
      route.fulfill({ json: { version: view.version } }),
    );
    await this.page.route("**/api/leaderboard?*", (route) => route.fulfill({ json: view }));
    await expect(this.rows).toHaveCount(view.rows.length, { timeout: 30_000 });
  }
}

/** A made-up board of `n` models with long names, every pair met, for layout checks. */
export function syntheticView(n: number, over: Partial<LeaderboardEntry> = {}): LeaderboardView {
  const models = Array.from({ length: n }, (_, i) => `synthetic-model-${i + 1}`);
  const rows: LeaderboardEntry[] = models.map((model, i) => ({
    rank: i + 1,
    worstRank: Math.min(n, i + 6), // ±30 around ratings 10 apart: the next five overlap
    component: 0,
    delta: null,
    model,
    displayName: `Synthetic Model ${i + 1} 70B Instruct Preview`,
    organization: "Northwind Research Laboratories",
    license: "CC-BY-NC-SA-4.0",
    link: null,
    rating: 1300 - i * 10,
    ciLower: 1300 - i * 10 - 30,
    ciUpper: 1300 - i * 10 + 30,
    ciStatus: "estimated",
    votes: 12_345 - i,
    winRate: 1 - i / n,
    provisional: false,
    deprecated: false,
    ...over,
  }));
  const matrix = <T>(f: (i: number, j: number) => T) =>
    models.map((_, i) => models.map((__, j) => f(i, j)));
  return {
    category: "overall",
    categoryName: "Overall",
    ci: "bootstrap",
    version: 1_000_000 + n,
    updatedAt: new Date().toISOString(),
    totalVotes: 99_999,
    minVotes: 100,
    rows,
    pairwise: {
      models,
      battles: matrix((i, j) => (i === j ? 0 : 1000 + i + j)),
      winFraction: matrix((i, j) => (i === j ? null : j > i ? 0.75 : 0.25)),
      predicted: matrix(() => 0.5),
    },
  };
}

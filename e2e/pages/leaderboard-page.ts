import { expect, type Locator, type Page } from "@playwright/test";

export class LeaderboardPage {
  readonly table: Locator;
  readonly rows: Locator;
  readonly totalVotes: Locator;
  readonly csv: Locator;
  readonly switcher: Locator;

  constructor(readonly page: Page) {
    this.table = page.getByTestId("leaderboard-table");
    this.rows = page.getByTestId("leaderboard-row");
    this.totalVotes = page.getByTestId("total-votes");
    this.csv = page.getByTestId("csv-download");
    this.switcher = page.getByTestId("category-switcher");
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

  async votesOf(model: string): Promise<number> {
    return Number((await this.row(model).getByTestId("votes").textContent())?.replace(/,/g, ""));
  }

  async total(): Promise<number> {
    return Number((await this.totalVotes.textContent())?.replace(/,/g, ""));
  }
}

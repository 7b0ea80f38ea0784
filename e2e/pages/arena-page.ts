import { expect, type Locator, type Page } from "@playwright/test";

/** The arena as a voter sees it, addressed through data-testid locators only. */
export class ArenaPage {
  readonly prompt: Locator;
  readonly responseA: Locator;
  readonly responseB: Locator;
  readonly modelA: Locator;
  readonly modelB: Locator;
  readonly newBattle: Locator;
  readonly error: Locator;
  readonly empty: Locator;
  /** The sticky bar at the bottom: vote buttons, then the reveal. */
  readonly dock: Locator;
  readonly revealA: Locator;
  readonly revealB: Locator;

  constructor(readonly page: Page) {
    this.prompt = page.getByTestId("prompt");
    this.responseA = page.getByTestId("response-a");
    this.responseB = page.getByTestId("response-b");
    this.modelA = page.getByTestId("model-a");
    this.modelB = page.getByTestId("model-b");
    this.newBattle = page.getByTestId("new-battle");
    this.error = page.getByTestId("arena-error");
    this.empty = page.getByTestId("arena-empty");
    this.dock = page.getByTestId("vote-dock");
    this.revealA = page.getByTestId("reveal-a");
    this.revealB = page.getByTestId("reveal-b");
  }

  voteButton(winner: "a" | "b" | "tie" | "bothbad"): Locator {
    return this.page.getByTestId(`vote-${winner}`);
  }

  /** A new visitor's browser draws the first battle after hydration: allow for a busy machine (2 cores shared). */
  async goto() {
    await this.page.goto("/");
    await expect(this.prompt).toBeVisible({ timeout: 45_000 });
  }

  /** The id of the battle on screen (not a secret: the vote is posted to it). */
  battleId(): Promise<string | null> {
    return this.page.getByTestId("arena").getAttribute("data-battle-id");
  }

  async expectRevealed() {
    await expect(this.modelA).toBeVisible();
    await expect(this.modelB).toBeVisible();
    for (const w of ["a", "b", "tie", "bothbad"] as const)
      await expect(this.voteButton(w)).toBeDisabled();
  }

  /** Answers the next POST /api/battles with this battle instead of a real one. */
  async serveNextBattle(battle: {
    id: string;
    prompt: string;
    a: { text: string };
    b: { text: string };
  }) {
    await this.page.route(
      "**/api/battles",
      (route) =>
        route.fulfill({
          status: 201,
          contentType: "application/json",
          body: JSON.stringify(battle),
        }),
      { times: 1 },
    );
  }
}

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { checkDatabase } from "../tests/helpers/db-check";
import { dropDatabase, freshDatabaseUrl } from "../tests/helpers/server-databases";
import {
  type ArenaServer,
  freePort,
  killAllServers,
  startServer,
} from "../tests/helpers/server-harness";
import { expect, test } from "./fixtures";

/**
 * An arena's first real import, on a server of its own (removing the demo set would take the
 * other specs' prompts away): the import page and the dashboard fit a phone, the dashboard
 * reports the import in figures, the import suggests removing the demo set, and removing it
 * (after a typed confirmation) leaves a leaderboard of the real models only. Then the pages
 * changed here pass axe at phone and desktop widths.
 */

const ADMIN = { email: "demo-admin@example.com", password: "demo-admin-password" };
const PHONE = { width: 375, height: 812 };
const DESKTOP = { width: 1440, height: 900 };
/** The pages this spec's fixes touched; a suite-wide axe check covers every page. */
const AXE_PAGES = ["/admin", "/admin/import", "/admin/votes"];

/** A few real-looking battles, with a file name long enough to test the layout. */
const FILE = {
  name: "chatbot-arena-battles-with-text-2023-05-first-real-import-of-this-arena.jsonl",
  mimeType: "application/jsonl",
  buffer: Buffer.from(
    [
      ["gpt-4", "vicuna-13b", "model_a"],
      ["chatglm-6b", "oasst-pythia-12b", "tie"],
      ["vicuna-13b", "chatglm-6b", "model_b"],
      ["oasst-pythia-12b", "gpt-4", "model_b"],
    ]
      .map(([a, b, winner], i) =>
        JSON.stringify({
          model_a: a,
          model_b: b,
          winner,
          prompt: `How do tides work? Question ${i}`,
          response_a: `The moon's pull, answer ${i} one.`,
          response_b: `Gravity from the moon and sun, answer ${i} two.`,
        }),
      )
      .join("\n"),
  ),
};

const demoModels = (
  JSON.parse(fs.readFileSync(path.resolve("db/seed/demo/models.json"), "utf8")) as {
    slug: string;
  }[]
).map((m) => m.slug);

let server: ArenaServer;
let databaseUrl: string;

// generous: sign-ins (bcrypt at the lowest CPU priority) and imports are slow on a busy machine
// starts the servers it needs itself
test.use({ specServer: false });

test.describe.configure({ mode: "serial", timeout: 120_000 });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  databaseUrl = await freshDatabaseUrl(`e2e-admin-demo-${process.pid}-${Date.now()}`);
  const admin = spawnSync(
    "npx",
    [
      "tsx",
      "scripts/arena.ts",
      "create-admin",
      "--email",
      ADMIN.email,
      "--password",
      ADMIN.password,
    ],
    { env: { ...process.env, DATABASE_URL: databaseUrl }, encoding: "utf8" },
  );
  expect(admin.status, admin.stderr).toBe(0);
  server = await startServer({ port: await freePort(3360), databaseUrl });
});

test.afterAll(async () => {
  await server?.stop();
  killAllServers();
  if (databaseUrl) await dropDatabase(databaseUrl);
});

async function signIn(page: Page) {
  await page.goto(`${server.url}/signin?callbackUrl=/admin`);
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  // a bcrypt check at the lowest CPU priority: slow on a busy machine
  await expect(page.getByTestId("admin-email")).toHaveText(ADMIN.email, { timeout: 30_000 });
}

const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

async function importFile(page: Page) {
  await page.goto(`${server.url}/admin/import`);
  await page.getByTestId("import-file").setInputFiles(FILE);
  await page.getByTestId("import-votes").check();
  await page.getByTestId("import-submit").click();
  await expect(page.getByTestId("import-summary")).toContainText("Imported", { timeout: 30_000 });
}

test("voters vote on the demo set", async ({ request }) => {
  for (let i = 0; i < 6; i++) {
    const battle = await request.post(`${server.url}/api/battles`);
    expect(battle.status()).toBe(201);
    const { id } = await battle.json();
    const vote = await request.post(`${server.url}/api/battles/${id}/vote`, {
      data: { winner: i % 2 ? "a" : "tie" },
    });
    expect(vote.status()).toBe(200);
  }
});

test("the import page fits a phone, and a real import suggests removing the demo set", async ({
  browser,
}) => {
  const page = await browser.newPage({ viewport: PHONE });
  await signIn(page);
  await page.goto(`${server.url}/admin/import`);
  expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
  await importFile(page);
  await expect(page.getByTestId("summary-votes")).toHaveText("4");
  await expect(page.getByTestId("remove-demo-hint")).toContainText(
    "demo set is still in the arena",
  );
  expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
  // the same file again adds nothing
  await importFile(page);
  await expect(page.getByTestId("summary-votes")).toHaveText("0");
  await expect(page.getByTestId("remove-demo-hint")).toHaveCount(0);
  await page.close();
});

test("the dashboard tells the last import that added something, in figures, on a phone", async ({
  browser,
}) => {
  const page = await browser.newPage({ viewport: PHONE });
  await signIn(page);
  await page.goto(`${server.url}/admin`);
  const last = page.getByTestId("last-import");
  await expect(page.getByTestId("last-import-file")).toContainText(FILE.name);
  await expect(page.getByTestId("last-import-added")).toHaveText(
    "4 prompts, 8 responses, 4 new models, 4 votes",
  );
  await expect(page.getByTestId("latest-import")).toContainText("added nothing");
  await expect(last).not.toContainText("{");
  expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
  await page.close();
});

test("removing the demo set takes a typed confirmation and leaves the real models only", async ({
  browser,
}) => {
  const page = await browser.newPage({ viewport: DESKTOP });
  await signIn(page);
  await page.goto(`${server.url}/admin`);
  const card = page.getByTestId("demo-set");
  await expect(card).toContainText("ranked beside your models");
  await card.getByTestId("demo-confirm").fill("yes");
  await card.getByTestId("demo-remove").click();
  await expect(card).toContainText('type "remove demo" to confirm');
  await card.getByTestId("demo-confirm").fill("remove demo");
  await card.getByTestId("demo-remove").click();
  await expect(page.getByTestId("demo-removed")).toContainText("Removed the demo set");
  await expect(page.getByTestId("demo-set")).toHaveCount(0);

  await page.goto(`${server.url}/leaderboard`);
  const rows = page.getByTestId("leaderboard-row");
  await expect(rows).toHaveCount(4);
  const shown = await rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-model")));
  expect(shown.sort()).toEqual(["chatglm-6b", "gpt-4", "oasst-pythia-12b", "vicuna-13b"]);
  for (const slug of demoModels) expect(shown).not.toContain(slug);
  await expect(page.locator('[data-model="oasst-pythia-12b"]')).toContainText(
    "OpenAssistant Pythia 12B",
  );
  await expect(page.locator('[data-model="oasst-pythia-12b"]')).toContainText("LAION");
  await page.close();

  const report = await checkDatabase(databaseUrl);
  expect(report.tallyMismatches).toEqual([]);
  expect(report.integrity).toBe("ok");
  expect(report.foreignKeyViolations).toBe(0);
});

async function axeFindings(page: Page) {
  const result = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "best-practice"])
    .analyze();
  return result.violations.map((v) => ({
    rule: v.id,
    nodes: v.nodes.map((n) => n.target.join(" ")),
  }));
}

test("the dashboard, import and votes pages pass axe at phone and desktop widths", async ({
  browser,
}) => {
  test.setTimeout(300_000);
  // AxeBuilder wants a page of a context of our own
  const admin = await browser.newContext();
  const page = await admin.newPage();
  await signIn(page);
  for (const viewport of [PHONE, DESKTOP]) {
    await page.setViewportSize(viewport);
    for (const url of AXE_PAGES) {
      await page.goto(`${server.url}${url}`);
      expect(await axeFindings(page), `${url} at ${viewport.width}`).toEqual([]);
    }
  }
  await admin.close();
});

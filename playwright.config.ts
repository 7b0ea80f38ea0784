import { defineConfig, devices } from "@playwright/test";
import { BASE_PORT } from "./e2e/support/servers";

export default defineConfig({
  testDir: "e2e",
  // Each spec file runs on a production server and a database of its own (e2e/fixtures.ts,
  // e2e/support/servers.ts), so files do not depend on each other or on their order; the tests
  // of one file run in order, on one server.
  fullyParallel: false,
  // One by default: on a 2-core machine shared with other work, two workers (each a browser and
  // a server) made the run slower and flakier, not faster. E2E_WORKERS=2 where cores are free.
  workers: Number(process.env.E2E_WORKERS ?? 1),
  retries: process.env.CI ? 1 : 0,
  reporter: [["list"]],
  timeout: 30_000,
  // Once per run: the production build when the sources changed, and the prepared database.
  globalSetup: "./e2e/support/global-setup.ts",
  use: {
    // Replaced per spec file by e2e/fixtures.ts; this shared server runs only for specs that
    // import `test` from "@playwright/test" directly (e2e/support/global-setup.ts).
    baseURL: `http://localhost:${BASE_PORT}`,
    trace: "retain-on-failure",
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" },
  },
  projects: [{ name: "desktop", use: { ...devices["Desktop Chrome"], channel: undefined } }],
});

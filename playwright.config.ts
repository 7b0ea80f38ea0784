import fs from "node:fs";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3200);
const baseURL = `http://localhost:${PORT}`;

// The config is evaluated again in every worker: only the first evaluation picks the database,
// so workers never wipe the one the server is using.
if (!process.env.E2E_DATABASE_FILE) {
  const dir = path.resolve("data", "e2e");
  fs.rmSync(dir, { recursive: true, force: true });
  process.env.E2E_DATABASE_FILE = path.join(dir, `arena-${Date.now()}.db`);
}

export default defineConfig({
  testDir: "e2e",
  // One worker, files in name order: the specs share one database and some count votes, so
  // they must not race each other (operations.spec.ts loads real data and runs last).
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [["list"]] : [["list"]],
  timeout: 30_000,
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" },
  },
  projects: [{ name: "desktop", use: { ...devices["Desktop Chrome"], channel: undefined } }],
  webServer: {
    // A production build on a fresh database, exactly as `npm start` serves it.
    command: "npx next build && npx tsx scripts/start.ts",
    url: `${baseURL}/api/health`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      PORT: String(PORT),
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: `file:${process.env.E2E_DATABASE_FILE}`,
      AUTH_SECRET: "e2e-secret-with-enough-length-for-hmac",
      COOKIE_SECURE: "false",
      ADMIN_EMAIL: "admin@example.com",
      ADMIN_PASSWORD: "e2e-admin-password",
      ADMIN_TOKEN: "e2e-admin-token-0123456789abcdef",
      // Every context of this suite comes from 127.0.0.1 and votes by script — just what the
      // per-address limits and the anomaly check are for. They are exercised with their defaults
      // on a server of their own (e2e/admission.spec.ts); here they would only couple the specs.
      ARENA_NEW_VOTERS_PER_HOUR: "100000",
      ARENA_NEW_VOTERS_PER_DAY: "100000",
      ARENA_SKIPS_PER_HOUR: "100000",
      ARENA_AUTO_EXCLUDE: "0",
      // GitHub sign-in offered (never completed: no network), so its OAuth callback URL can be checked.
      GITHUB_ID: "e2e-github-client-id",
      GITHUB_SECRET: "e2e-github-client-secret",
      // small enough that e2e/body-limits.spec.ts can pass the import's overall cap cheaply
      IMPORT_MAX_BYTES: String(16 * 1024 * 1024),
    },
  },
});

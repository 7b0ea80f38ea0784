import { chromium } from "@playwright/test";
import { dropDatabase, freshDatabaseUrl } from "../tests/helpers/server-databases";
import {
  type ArenaServer,
  freePort,
  killAllServers,
  startServer,
} from "../tests/helpers/server-harness";
import { expect, test } from "./fixtures";
import { ArenaPage } from "./pages/arena-page";

/**
 * A phone on the LAN votes at http://192.168.x.y:3000: plain HTTP, not localhost, so the browser
 * drops any cookie marked `Secure`. On a server with the production default (COOKIE_SECURE unset;
 * the main suite's server forces it off), a browser that reaches the arena by a network name over
 * plain HTTP must still vote. Chromium's host-resolver-rules give it such a name for 127.0.0.1.
 */

let server: ArenaServer;
let databaseUrl: string;

// starts the servers it needs itself
test.use({ specServer: false });

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  databaseUrl = await freshDatabaseUrl(`e2e-voter-cookie-${process.pid}-${Date.now()}`);
  server = await startServer({
    port: await freePort(3370),
    databaseUrl,
    env: { COOKIE_SECURE: "", NEXTAUTH_URL: "", AUTH_URL: "" },
  });
});

test.afterAll(async () => {
  await server?.stop();
  killAllServers();
  if (databaseUrl) await dropDatabase(databaseUrl);
});

test("a vote round-trips over plain HTTP from a network address", async () => {
  test.setTimeout(120_000);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--host-resolver-rules=MAP arena-lan.test 127.0.0.1"],
  });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    const arena = new ArenaPage(page);
    await page.goto(`http://arena-lan.test:${server.port}/`);
    await expect(arena.prompt).toBeVisible({ timeout: 45_000 });
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: "arena_voter", secure: false });
    await arena.voteButton("a").click();
    await arena.expectRevealed();
    await expect(arena.error).toHaveCount(0);
  } finally {
    await browser.close();
  }
});

test("a vote without the cookie says why instead of 'no such battle'", async () => {
  const start = await fetch(`${server.url}/api/battles`, { method: "POST" });
  const battle = (await start.json()) as { id: string };
  const vote = await fetch(`${server.url}/api/battles/${battle.id}/vote`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ winner: "a" }),
  });
  expect(vote.status).toBe(404);
  const body = (await vote.json()) as { code: string; error: string };
  expect(body.code).toBe("voter_cookie_missing");
  expect(body.error).toMatch(/cookie/);
});

test("a client's own X-Forwarded-Proto does not make the cookie Secure", async () => {
  // The same server does not trust proxies: a client's own X-Forwarded-Proto changes nothing.
  const spoofed = await fetch(`${server.url}/api/battles`, {
    method: "POST",
    headers: { "X-Forwarded-Proto": "https" },
  });
  expect(spoofed.headers.get("set-cookie")).not.toMatch(/Secure/i);
});

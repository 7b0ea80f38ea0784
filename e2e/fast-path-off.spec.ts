import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "./fixtures";
import { ArenaPage } from "./pages/arena-page";
import { LeaderboardPage } from "./pages/leaderboard-page";
import { postChunked } from "./support/chunked";

/**
 * ARENA_FAST_PATH=0 (instrumentation.ts): scripts/server.mjs hands every request to Next, the
 * battle and vote endpoints included, so voting runs on app/api's route handlers alone — the
 * way out when the fast path (lib/http/fast-path.ts) is suspected. Voting must work the same.
 */
test.use({ serverEnv: { ARENA_FAST_PATH: "0" } });

/** Next marks its responses with a Vary on its router headers; the fast path writes none. */
function expectServedByNext(res: { headers(): Record<string, string>; url(): string }) {
  expect(res.headers().vary ?? "", `${res.url()} bypassed Next`).toContain("rsc");
}

async function totalVotes(request: APIRequestContext) {
  return ((await (await request.get("/api/leaderboard")).json()) as { totalVotes: number })
    .totalVotes;
}

test("battles and votes are answered by Next's route handlers, and count once", async ({
  request,
}) => {
  const before = await totalVotes(request);
  const created = await request.post("/api/battles");
  expect(created.status()).toBe(201);
  expectServedByNext(created);
  const battle = (await created.json()) as { id: string };

  const bad = await request.post(`/api/battles/${battle.id}/vote`, { data: { winner: "left" } });
  expect(bad.status()).toBe(400);
  expectServedByNext(bad);
  const unknown = await request.post("/api/battles/does-not-exist/vote", {
    data: { winner: "a" },
  });
  expect(unknown.status()).toBe(404);

  const vote = await request.post(`/api/battles/${battle.id}/vote`, { data: { winner: "b" } });
  expect(vote.status()).toBe(200);
  expectServedByNext(vote);
  const reveal = await vote.json();
  expect(Object.keys(reveal.a).sort()).toEqual(["displayName", "model", "organization"]);
  const again = await request.post(`/api/battles/${battle.id}/vote`, { data: { winner: "a" } });
  expect(again.status()).toBe(409);

  // the leaderboard may be up to a second stale
  await expect.poll(() => totalVotes(request)).toBe(before + 1);
});

test("a voter in the browser votes and the leaderboard counts exactly that", async ({
  page,
  browser,
}) => {
  const board = new LeaderboardPage(await browser.newPage());
  await board.goto();
  const before = await board.total();
  const arena = new ArenaPage(page);
  const created = page.waitForResponse((r) => r.url().endsWith("/api/battles"));
  await arena.goto();
  expectServedByNext(await created);
  const voted = page.waitForResponse((r) => r.url().endsWith("/vote"));
  await arena.voteButton("a").click();
  expect((await voted).status()).toBe(200);
  await arena.expectRevealed();
  await expect(async () => {
    await board.goto();
    expect(await board.total()).toBe(before + 1);
  }).toPass({ timeout: 10_000 });
});

test("a chunked 5 KB body to POST /api/battles gets the fast path's 413 here too", async ({
  baseURL,
}) => {
  expect(await postChunked(`${baseURL}/api/battles`, 5 * 1024)).toBe(413);
});

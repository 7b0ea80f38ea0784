import { solveChallenge } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/pbkdf2";
import { count as countRows, eq } from "drizzle-orm";
import { battles, suspects as suspectsTable, voters } from "../db/schema";
import { readDatabase } from "../tests/helpers/db-check";
import { dropDatabase, freshDatabaseUrl } from "../tests/helpers/server-databases";
import {
  type ArenaServer,
  freePort,
  HttpClient,
  killAllServers,
  startServer,
} from "../tests/helpers/server-harness";
import { expect, test } from "./fixtures";

/**
 * What a new identity and a skipped battle cost, and what the anomaly check does, on a server of
 * their own with the default limits (every other spec's server raises them: all its contexts come
 * from 127.0.0.1). TRUST_PROXY=1 lets a test speak from any address through X-Forwarded-For.
 */
// It starts its servers itself: no per-file server (e2e/fixtures.ts).
test.use({ specServer: false });

let server: ArenaServer;
let databaseUrl: string;
let http: HttpClient;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  databaseUrl = await freshDatabaseUrl(`e2e-admission-${process.pid}-${Date.now()}`);
  server = await startServer({
    port: await freePort(3350),
    databaseUrl,
    env: {
      ARENA_RATE_LIMIT: "1",
      TRUST_PROXY: "1",
      ARENA_ANOMALY_INTERVAL_MS: "300",
      LEADERBOARD_MAX_STALENESS_MS: "0",
    },
  });
  http = new HttpClient(server.url, { maxSockets: 4 });
});

test.afterAll(async () => {
  http?.close();
  await server?.stop();
  killAllServers();
  if (databaseUrl) await dropDatabase(databaseUrl);
});

const TABLES = { voters, battles };

function count(table: keyof typeof TABLES): Promise<number> {
  return readDatabase(databaseUrl, async (db) => {
    const [row] = await db.select({ n: countRows() }).from(TABLES[table]);
    return row?.n ?? 0;
  });
}

const from = (ip: string, cookie?: string) => ({
  headers: { "x-forwarded-for": ip },
  ...(cookie ? { cookie } : {}),
});
const voterCookie = (setCookie: string[]) =>
  setCookie.map((c) => c.split(";", 1)[0] ?? "").find((c) => c.startsWith("arena_voter="));

test("a page view writes nothing: no voter, no battle, no cookie", async () => {
  for (let i = 0; i < 20; i++) {
    const page = await http.request("GET", "/", from(`192.0.2.${i + 1}`));
    expect(page.status).toBe(200);
    expect(voterCookie(page.setCookie)).toBeUndefined();
  }
  expect(await count("voters")).toBe(0);
  expect(await count("battles")).toBe(0);
});

test("new voters per address are limited, IPv6 by /64, and a spoofed client-ip header buys nothing", async () => {
  const newVoter = (ip: string, extra: Record<string, string> = {}) =>
    http.request("POST", "/api/battles", { headers: { "x-forwarded-for": ip, ...extra } });
  // 30 new voters an hour from one /64, whatever the interface id and any header the client adds.
  for (let i = 0; i < 30; i++) {
    const r = await newVoter(`2001:db8:7:1::${(i + 1).toString(16)}`, {
      "x-arena-client-ip": `10.9.8.${i}`,
      "x-arena-client-ip-token": "guess",
    });
    expect(r.status, r.body).toBe(201);
  }
  const refused = await newVoter("2001:db8:7:1:ffff:ffff:ffff:fffe");
  expect(refused.status).toBe(429);
  expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
  expect(JSON.parse(refused.body)).toMatchObject({
    code: "rate_limited",
    error: expect.stringContaining("new voters from this network"),
  });
  // Another /64 has its own allowance.
  expect((await newVoter("2001:db8:7:2::1")).status).toBe(201);
});

test("battles drawn and left unvoted count against the address", async () => {
  const ip = "192.0.2.200";
  let refused: { status: number; body: string } | undefined;
  for (let v = 0; v < 8 && !refused; v++) {
    let cookie: string | undefined;
    // Each voter holds at most 10 open battles (then gets its latest back); a new voter is fresh.
    for (let i = 0; i < 10; i++) {
      const r = await http.request("POST", "/api/battles", from(ip, cookie));
      cookie ??= voterCookie(r.setCookie);
      if (r.status === 429) {
        refused = r;
        break;
      }
      expect(r.status).toBe(201);
    }
  }
  expect(refused?.status).toBe(429);
  expect(JSON.parse(refused?.body ?? "{}").error).toContain("left without a vote");
});

test("an address that votes by script is flagged and stops counting on its own", async () => {
  const ip = "192.0.2.150";
  const total = async () =>
    JSON.parse((await http.request("GET", "/api/leaderboard?category=overall")).body)
      .totalVotes as number;
  const before = await total();
  let cookie: string | undefined;
  let cast = 0;
  for (let i = 0; i < 40; i++) {
    if (i % 8 === 0) cookie = undefined;
    const r = await http.request("POST", "/api/battles", from(ip, cookie));
    cookie ??= voterCookie(r.setCookie);
    expect(r.status).toBe(201);
    const id = JSON.parse(r.body).id as string;
    const v = await http.request("POST", `/api/battles/${id}/vote`, {
      ...from(ip, cookie),
      json: { winner: "a" },
    });
    if (v.status === 200) cast++;
  }
  expect(cast).toBe(40);
  // The sweep runs within ARENA_ANOMALY_INTERVAL_MS of a vote.
  const suspects = () =>
    readDatabase(databaseUrl, (db) =>
      db
        .select({
          kind: suspectsTable.kind,
          status: suspectsTable.status,
          reason: suspectsTable.reason,
        })
        .from(suspectsTable)
        .where(eq(suspectsTable.kind, "address")),
    );
  await expect.poll(async () => (await suspects()).length, { timeout: 10_000 }).toBe(1);
  expect(await suspects()).toEqual([
    expect.objectContaining({ status: "flagged", reason: expect.stringMatching(/left side/) }),
  ]);
  // Its votes are kept but no longer counted: the leaderboard is back where it was (once the fit
  // worker has published the change, within seconds).
  await expect.poll(total, { timeout: 10_000 }).toBe(before);
  expect(await count("battles")).toBeGreaterThanOrEqual(40);
});

test.describe("with ARENA_VOTER_CHALLENGE=1", () => {
  let challengeServer: ArenaServer;
  let challengeDb: string;

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    challengeDb = await freshDatabaseUrl(`e2e-challenge-${process.pid}-${Date.now()}`);
    challengeServer = await startServer({
      port: await freePort(3355),
      databaseUrl: challengeDb,
      env: { ARENA_RATE_LIMIT: "1", ARENA_VOTER_CHALLENGE: "1" },
    });
  });

  test.afterAll(async () => {
    await challengeServer?.stop();
    if (challengeDb) await dropDatabase(challengeDb);
  });

  test("scripts without a voter are asked to solve it; a solution makes one voter, once", async ({
    request,
  }) => {
    const base = challengeServer.url;
    const bare = await request.post(`${base}/api/battles`);
    expect(bare.status()).toBe(403);
    expect(await bare.json()).toMatchObject({ code: "challenge_required" });
    const challenge = await (await request.get(`${base}/api/voters/challenge`)).json();
    expect(challenge.parameters.algorithm).toBe("PBKDF2/SHA-256");
    const wrong = await request.post(`${base}/api/voters`, {
      data: { challenge, solution: { counter: 1, derivedKey: "00".repeat(32) } },
    });
    expect(wrong.status()).toBe(400);
    const solution = await solveChallenge({ challenge, deriveKey });
    expect(solution).not.toBeNull();
    const answer = {
      challenge,
      solution: { counter: solution?.counter, derivedKey: solution?.derivedKey },
    };
    const admitted = await request.post(`${base}/api/voters`, { data: answer });
    expect(admitted.status()).toBe(201);
    expect(admitted.headers()["set-cookie"]).toContain("arena_voter=");
    // The same answer again, without the cookie it earned: refused, one challenge is one voter.
    const replay = await request.post(`${base}/api/voters`, {
      data: answer,
      headers: { cookie: "" },
    });
    expect(replay.status()).toBe(400);
    expect((await replay.json()).error).toContain("already used");
  });

  test("a browser solves it by itself, in about a second, and votes", async ({ browser }) => {
    const context = await browser.newContext({ baseURL: challengeServer.url });
    const page = await context.newPage();
    const started = Date.now();
    await page.goto("/");
    await expect(page.getByTestId("prompt")).toBeVisible({ timeout: 30_000 });
    const seconds = (Date.now() - started) / 1000;
    test.info().annotations.push({
      type: "challenge",
      description: `solved and drawn in ${seconds.toFixed(2)} s`,
    });
    await page.getByTestId("vote-a").click();
    await expect(page.getByTestId("model-a")).toBeVisible();
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === "arena_voter")).toBeTruthy();
    await context.close();
  });
});

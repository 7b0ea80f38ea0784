import { expect, identityStrings, test } from "./fixtures";
import { postChunked } from "./support/chunked";

/**
 * Model identity must not reach the client before the vote in any form: the HTML, the React
 * Server Component payload, the battle JSON, headers, or the URL.
 */
test("nothing the server sends before a vote names a model", async ({ request, baseURL }) => {
  const names = identityStrings();
  const bodies: string[] = [];
  for (let i = 0; i < 8; i++) {
    const html = await request.get("/");
    bodies.push(await html.text(), JSON.stringify(html.headers()));
    const rsc = await request.get("/", { headers: { RSC: "1" } });
    bodies.push(await rsc.text());
    const battle = await request.post("/api/battles");
    expect(battle.status()).toBe(201);
    bodies.push(await battle.text(), JSON.stringify(battle.headers()), battle.url());
  }
  expect(baseURL).toBeTruthy();
  for (const body of bodies) for (const name of names) expect(body).not.toContain(name);
});

test("the API rejects bad votes with JSON errors", async ({ request }) => {
  const battle = await (await request.post("/api/battles")).json();
  const bad = await request.post(`/api/battles/${battle.id}/vote`, { data: { winner: "left" } });
  expect(bad.status()).toBe(400);
  expect(await bad.json()).toMatchObject({
    error: expect.any(String),
    details: [{ path: "winner" }],
  });
  const notJson = await request.post(`/api/battles/${battle.id}/vote`, {
    headers: { "Content-Type": "application/json" },
    data: "{nope",
  });
  expect(notJson.status()).toBe(400);
  const unknown = await request.post("/api/battles/does-not-exist/vote", { data: { winner: "a" } });
  expect(unknown.status()).toBe(404);
  const ok = await request.post(`/api/battles/${battle.id}/vote`, { data: { winner: "a" } });
  expect(ok.status()).toBe(200);
  const body = await ok.json();
  expect(Object.keys(body.a).sort()).toEqual(["displayName", "model", "organization"]);
});

test("20 concurrent votes on one battle: exactly one is counted", async ({ request }) => {
  const battle = await (await request.post("/api/battles")).json();
  const answers = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      request.post(`/api/battles/${battle.id}/vote`, {
        data: { winner: (["a", "b", "tie", "bothbad"] as const)[i % 4] },
      }),
    ),
  );
  const statuses = answers.map((a) => a.status()).sort();
  expect(statuses.filter((s) => s === 200)).toHaveLength(1);
  expect(statuses.filter((s) => s === 409)).toHaveLength(19);
});

test("security headers: nonce CSP on pages, locked-down API, no framing or sniffing", async ({
  request,
}) => {
  const page = await request.get("/");
  const csp = page.headers()["content-security-policy"] ?? "";
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).toContain("frame-ancestors 'none'");
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  const html = await page.text();
  // Every script tag carries this response's nonce.
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  expect(page.headers()["x-content-type-options"]).toBe("nosniff");
  expect(page.headers()["referrer-policy"]).toBeTruthy();
  const api = await request.get("/api/health");
  expect(api.headers()["content-security-policy"]).toBe(
    "default-src 'none'; frame-ancestors 'none'",
  );
  const again = await request.get("/");
  expect(again.headers()["content-security-policy"]).not.toBe(csp);
});

test("a voter over the per-minute limit gets 429 with Retry-After", async ({ request }) => {
  let last = await request.post("/api/battles");
  for (let i = 1; i < 31 && last.status() === 201; i++) last = await request.post("/api/battles");
  expect(last.status()).toBe(429);
  expect(Number(last.headers()["retry-after"])).toBeGreaterThan(0);
  expect(await last.json()).toMatchObject({
    code: "rate_limited",
    error: expect.stringContaining("per minute"),
  });
});

test("the leaderboard JSON is the stored snapshot: gzipped, with an ETag that answers 304", async ({
  request,
  baseURL,
}) => {
  const first = await request.get("/api/leaderboard", { headers: { "Accept-Encoding": "gzip" } });
  expect(first.status()).toBe(200);
  expect(first.headers()["content-encoding"]).toBe("gzip");
  const etag = first.headers().etag as string;
  const view = (await first.json()) as { version: number };
  expect(etag).toBe(`W/"${view.version}"`);
  expect(Number(first.headers()["x-snapshot-age"])).toBeGreaterThanOrEqual(0);
  const again = await request.get("/api/leaderboard", { headers: { "If-None-Match": etag } });
  expect(again.status()).toBe(304);
  const version = await (await request.get("/api/leaderboard/version?category=overall")).json();
  expect(version).toEqual({ version: view.version });
  const pairwise = await (await request.get("/api/leaderboard/pairwise")).json();
  expect(Object.keys(pairwise).sort()).toEqual(["battles", "models", "predicted", "winFraction"]);
  // the fast path leaves the CSV to Next
  const csv = await request.get("/api/leaderboard?format=csv");
  expect(csv.headers()["content-type"]).toContain("text/csv");
  expect(await postChunked(`${baseURL}/api/battles`, 5 * 1024)).toBe(413);
});

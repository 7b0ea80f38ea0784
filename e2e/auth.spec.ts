import http from "node:http";
import type { AddressInfo } from "node:net";
import type { APIRequestContext, BrowserContext } from "@playwright/test";
import { ADMIN, expect, test } from "./fixtures";
import { signIn } from "./pages/admin-page";

/**
 * The holes an adversarial review found in admin sign-in: open redirects, unthrottled
 * guessing, next-auth's localhost base URL, sessions that outlive sign-out, CSRF on the admin
 * API and unbounded bodies on /api/auth.
 */

async function votesInDatabase(request: APIRequestContext): Promise<number> {
  const res = await request.get("/api/admin/export/battles?format=csv", {
    headers: { Authorization: `Bearer ${ADMIN.token}` },
  });
  expect(res.status()).toBe(200);
  return (await res.text()).split("\r\n").filter(Boolean).length;
}

async function cookieHeader(context: BrowserContext, baseURL: string): Promise<string> {
  return (await context.cookies(baseURL)).map((c) => `${c.name}=${c.value}`).join("; ");
}

/** next-auth's own flow for a password: its CSRF token (and cookie), then the credentials. */
async function postCredentials(request: APIRequestContext, email: string, password: string) {
  const { csrfToken } = await (await request.get("/api/auth/csrf")).json();
  return request.post("/api/auth/callback/credentials", {
    form: { email, password, csrfToken, callbackUrl: "/admin", json: "true" },
  });
}

test("sign-in never sends the browser to another site", async ({ page, baseURL }) => {
  // Seven full sign-ins (page, bcrypt, dashboard) take longer than one test's default 30 s.
  test.setTimeout(120_000);
  // Any request to the other host is answered here, so a redirect there is seen, not a DNS error.
  await page.route(
    (url) => url.hostname === "other-host",
    (route) => route.fulfill({ status: 200, body: "off-site" }),
  );
  for (const callbackUrl of [
    "//other-host/x",
    "/\\other-host/x",
    "/%2F%2Fother-host/x",
    "%2F%2Fother-host/x",
    "https://other-host/x",
    "/\t/other-host/x",
  ]) {
    await page.context().clearCookies();
    await page.goto(`/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`);
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page, callbackUrl).toHaveURL(`${baseURL}/admin`);
    await expect(page.getByTestId("admin-email")).toHaveText(ADMIN.email);
  }
  // A same-origin callback still works, query and all.
  await page.context().clearCookies();
  await signIn(page, "/admin/votes?page=1");
  await expect(page).toHaveURL(`${baseURL}/admin/votes?page=1`);
});

test("next-auth builds its URLs from this server's origin, not localhost:3000 or a client's header", async ({
  request,
  baseURL,
}) => {
  const { csrfToken } = await (await request.get("/api/auth/csrf")).json();
  const res = await request.post("/api/auth/signin/github", {
    headers: { "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https" },
    form: { csrfToken, callbackUrl: "/admin", json: "true" },
  });
  expect(res.status()).toBe(200);
  const authorize = new URL((await res.json()).url);
  expect(authorize.origin).toBe("https://github.com");
  expect(authorize.searchParams.get("redirect_uri")).toBe(`${baseURL}/api/auth/callback/github`);
});

test("signing out ends the session, even for a captured copy of the cookie", async ({
  page,
  baseURL,
}) => {
  await signIn(page, "/admin");
  const cookie = await cookieHeader(page.context(), baseURL as string);
  expect(cookie).toContain("next-auth.session-token=");
  const replay = (url: string) =>
    page.request.fetch(url, { headers: { Cookie: cookie }, maxRedirects: 0 });
  expect((await replay("/admin")).status()).toBe(200);
  expect((await replay("/api/admin/export/battles?format=csv")).status()).toBe(200);

  await page.getByTestId("sign-out").click();
  // The home page of this very server: next-auth no longer falls back to localhost:3000.
  await expect(page).toHaveURL(`${baseURL}/`, { timeout: 15_000 });

  const pageAfter = await replay("/admin");
  expect(pageAfter.status()).toBe(307);
  expect(pageAfter.headers().location).toContain("/signin?callbackUrl=%2Fadmin");
  const apiAfter = await replay("/api/admin/export/battles?format=csv");
  expect(apiAfter.status()).toBe(401);
  // The session endpoint drops it too.
  expect(await (await replay("/api/auth/session")).json()).toEqual({});
});

test("a page on another origin of the same site cannot make admin changes with the cookie", async ({
  page,
  baseURL,
  request,
}) => {
  await signIn(page, "/admin");
  const target = `${baseURL}/api/admin/import?format=votes&votes=1`;
  const csv = [
    "model_a,model_b,winner",
    ...Array.from({ length: 50 }, () => "aurora-large,tortoise-13b,model_a"),
  ].join("\n");
  // The attacker's page: same host, another port, so the browser still sends the
  // SameSite=Lax session cookie. It tries a no-cors fetch and a text/plain form.
  const evil = http.createServer((req, res) => {
    res.setHeader("Content-Type", "text/html");
    const attack =
      req.url === "/form"
        ? "document.getElementById('f').submit();"
        : `fetch(${JSON.stringify(target)}, { method: "POST", mode: "no-cors", credentials: "include", headers: { "Content-Type": "text/plain" }, body: ${JSON.stringify(csv)} });`;
    res.end(`<!doctype html><body>
      <form id="f" method="POST" enctype="text/plain" action="${target}">
        <input type="hidden" name="model_a,model_b,winner&#10;aurora-large,tortoise-13b,model_a&#10;x" value="y">
      </form>
      <script>${attack}</script></body>`);
  });
  await new Promise<void>((resolve) => evil.listen(0, "127.0.0.1", resolve));
  const evilUrl = `http://localhost:${(evil.address() as AddressInfo).port}/`;
  try {
    const before = await votesInDatabase(request);
    const fetched = page.waitForResponse((r) => r.url() === target);
    await page.goto(`${evilUrl}fetch`);
    // The page cannot read the opaque answer; the browser still shows it to the test.
    expect((await fetched).status()).toBe(403);
    const submitted = page.waitForResponse((r) => r.url() === target);
    await page.goto(`${evilUrl}form`);
    const answer = await submitted;
    expect(answer.status()).toBe(403);
    expect(await answer.json()).toMatchObject({
      code: "cross_site_request",
      error: expect.stringContaining("cross-site"),
    });
    expect(await votesInDatabase(request)).toBe(before);
  } finally {
    evil.close();
  }
  // The admin's own import page still works with the same session (an octet-stream upload).
  await page.goto("/admin/import");
  await page.getByTestId("import-file").setInputFiles({
    name: "votes.csv",
    mimeType: "text/csv",
    buffer: Buffer.from("model_a,model_b,winner\naurora-large,tortoise-13b,tie\n"),
  });
  await page.getByTestId("import-preview").click();
  await expect(page.getByTestId("import-summary")).toContainText("Dry run");
});

test("password guessing is throttled per account, with Retry-After and a clear message", async ({
  page,
  request,
}) => {
  const victim = "someone-else@example.com";
  for (let i = 0; i < 5; i++)
    expect((await postCredentials(request, victim, `guess-${i}`)).status()).toBe(401);
  const refused = await postCredentials(request, victim, "guess-5");
  expect(refused.status()).toBe(429);
  expect(Number(refused.headers()["retry-after"])).toBeGreaterThanOrEqual(1);
  expect(await refused.json()).toMatchObject({
    code: "rate_limited",
    error: expect.stringMatching(/Too many failed sign-ins for this account\. Try again in \d+ s/),
  });
  // Even the right password waits out the lock, so guessing gains nothing from it.
  await page.goto("/signin");
  await page.getByLabel("Email").fill(victim);
  await page.getByLabel("Password").fill("whatever-it-is");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("signin-error")).toContainText("Too many failed sign-ins");
  // Other accounts are not locked out by it (and a success forgives this address's failures).
  await signIn(page, "/admin");
});

test("/api/auth refuses large bodies before reading them", async ({ request }) => {
  const res = await request.post("/api/auth/callback/credentials", {
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    data: `email=a%40b.c&password=${"x".repeat(1024 * 1024)}`,
  });
  expect(res.status()).toBe(413);
  expect(await res.json()).toMatchObject({ code: "payload_too_large" });
  expect((await request.get("/api/health")).status()).toBe(200);
});

import { ADMIN, adminApiRoutes, adminPages, expect, test } from "./fixtures";

/**
 * Every admin door, found on the file system, is shut without credentials and with wrong
 * ones; the right token opens the API.
 */
const FORGED_SESSION =
  "next-auth.session-token=eyJhbGciOiJIUzI1NiJ9.eyJlbWFpbCI6ImFkbWluQGV4YW1wbGUuY29tIn0.forged";

test("every admin page redirects to sign-in without a valid session", async ({ request }) => {
  const pages = adminPages();
  expect(pages).toEqual(
    expect.arrayContaining([
      "/admin",
      "/admin/models",
      "/admin/prompts",
      "/admin/votes",
      "/admin/export",
    ]),
  );
  for (const url of pages) {
    for (const headers of [{}, { Cookie: FORGED_SESSION }] as Record<string, string>[]) {
      const res = await request.get(url, { headers, maxRedirects: 0 });
      expect(res.status(), url).toBe(307);
      expect(res.headers().location, url).toContain(
        `/signin?callbackUrl=${encodeURIComponent(url)}`,
      );
    }
  }
});

test("every admin API route answers 401 JSON without valid credentials", async ({ request }) => {
  const routes = adminApiRoutes();
  expect(routes.map((r) => r.url)).toContain("/api/admin/export/battles");
  for (const { url, methods } of routes) {
    expect(methods.length, url).toBeGreaterThan(0);
    for (const method of methods) {
      for (const headers of [
        {},
        { Authorization: "Bearer wrong-token" },
        { Authorization: `Bearer ${ADMIN.token}x` },
        { Authorization: "Basic YWRtaW46YWRtaW4=" },
        { Cookie: FORGED_SESSION },
      ] as Record<string, string>[]) {
        const res = await request.fetch(url, { method, headers, maxRedirects: 0 });
        expect(res.status(), `${method} ${url} ${JSON.stringify(headers)}`).toBe(401);
        expect(await res.json()).toMatchObject({ error: expect.any(String) });
      }
      const ok = await request.fetch(url, {
        method,
        headers: { Authorization: `Bearer ${ADMIN.token}` },
      });
      expect([401, 403], `${method} ${url} with the token`).not.toContain(ok.status());
    }
  }
});

test("an admin signs in, sees the dashboard and signs out", async ({ page, baseURL }) => {
  await page.goto("/admin/models");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fadmin%2Fmodels/);
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("signin-error")).toBeVisible();
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/admin\/models$/);
  await expect(page.getByTestId("admin-email")).toHaveText(ADMIN.email);
  await page.getByTestId("sign-out").click();
  // This server's home page, origin included: not http://localhost:3000/ or any other host.
  await expect(page).toHaveURL(`${baseURL}/`, { timeout: 15_000 });
  const res = await page.request.get("/admin", { maxRedirects: 0 });
  expect(res.status()).toBe(307);
});

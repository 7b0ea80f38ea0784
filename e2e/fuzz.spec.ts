import type { APIRequestContext, APIResponse } from "@playwright/test";
import fc from "fast-check";
import { ADMIN, expect, test } from "./fixtures";
import { signIn } from "./pages/admin-page";

/**
 * Property-based fuzzing of every JSON route: malformed, oversized and wrongly typed input
 * gets a 4xx JSON error — never a 5xx — the server stays up, and nothing is written. Pages
 * too: any path segment or query (broken percent-escapes included) gets a page or a 4xx in the
 * site's layout, for visitors and for a signed-in admin.
 */
const WINNERS = new Set(["a", "b", "tie", "bothbad"]);
const RUNS = 60;

/** Any JSON value except a valid vote body. */
const notAVote = fc.anything({ maxDepth: 3 }).filter((v) => {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return true;
  const keys = Object.keys(v);
  return !(
    keys.length === 1 &&
    keys[0] === "winner" &&
    WINNERS.has((v as { winner: unknown }).winner as string)
  );
});

const rawBody = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.constantFrom("{", "[", '{"winner":', "null", "\u0000\u0001", '{"winner": "a"', '"a"'),
  fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a).toString("latin1")),
);

async function counts(request: APIRequestContext) {
  const res = await request.get("/api/admin/export/battles?format=csv", {
    headers: { Authorization: `Bearer ${ADMIN.token}` },
  });
  const votes = (await res.text()).split("\r\n").filter(Boolean).length;
  const health = await (await request.get("/api/health")).json();
  return { votes, prompts: health.prompts as number };
}

function expectClientError(status: number, what: string) {
  expect(status, what).toBeGreaterThanOrEqual(400);
  expect(status, what).toBeLessThan(500);
}

test("the vote route answers 4xx to any malformed body and records nothing", async ({
  request,
}) => {
  const before = await counts(request);
  const battle = await (await request.post("/api/battles")).json();
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        notAVote.map((v) => JSON.stringify(v) ?? "null"),
        rawBody,
      ),
      async (body) => {
        const res = await request.post(`/api/battles/${battle.id}/vote`, {
          headers: { "Content-Type": "application/json" },
          data: body,
        });
        expectClientError(res.status(), body);
        expect(await res.json()).toMatchObject({ error: expect.any(String) });
      },
    ),
    { numRuns: RUNS },
  );
  const huge = await request.post(`/api/battles/${battle.id}/vote`, {
    data: { winner: "a", pad: "x".repeat(200_000) },
  });
  expect(huge.status()).toBe(413);
  // Still open: none of those bodies voted.
  expect(
    (await request.post(`/api/battles/${battle.id}/vote`, { data: { winner: "a" } })).status(),
  ).toBe(200);
  expect((await counts(request)).votes).toBe(before.votes + 1);
});

test("ids, queries and bodies of the other routes never cause a 5xx", async ({ request }) => {
  const before = await counts(request);
  await fc.assert(
    fc.asyncProperty(
      fc.string({ minLength: 1, maxLength: 80 }),
      fc.string({ maxLength: 80 }),
      async (id, q) => {
        const vote = await request.post(`/api/battles/${encodeURIComponent(id)}/vote`, {
          data: { winner: "a" },
        });
        expect(vote.status(), id).toBe(404);
        const board = await request.get(
          `/api/leaderboard?category=${encodeURIComponent(q)}&ci=${encodeURIComponent(id)}`,
        );
        expectClientError(board.status(), `${q} ${id}`);
        const exp = await request.get(
          `/api/admin/export/battles?format=${encodeURIComponent(q)}x`,
          {
            headers: { Authorization: `Bearer ${ADMIN.token}` },
          },
        );
        expectClientError(exp.status(), q);
      },
    ),
    { numRuns: RUNS },
  );
  const oversized = await request.post("/api/battles", { data: "x".repeat(10_000) });
  expect(oversized.status()).toBe(413);
  expect((await request.get("/api/health")).status()).toBe(200);
  expect(await counts(request)).toEqual(before);
});

test("the import refuses garbage whole and writes nothing", async ({ request }) => {
  const before = await counts(request);
  const junkRecord = fc.anything({ maxDepth: 2 }).map((v) => JSON.stringify(v) ?? "null");
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        rawBody,
        fc.array(junkRecord, { minLength: 1, maxLength: 5 }).map((l) => l.join("\n")),
      ),
      async (body) => {
        const res = await request.post("/api/admin/import", {
          headers: {
            Authorization: `Bearer ${ADMIN.token}`,
            "Content-Type": "application/octet-stream",
          },
          data: Buffer.from(body, "utf8"),
        });
        expectClientError(res.status(), JSON.stringify(body).slice(0, 200));
        expect(await res.json()).toMatchObject({ error: expect.any(String) });
      },
    ),
    { numRuns: RUNS },
  );
  const binary = await request.post("/api/admin/import", {
    headers: { Authorization: `Bearer ${ADMIN.token}` },
    data: Buffer.from([0x00, 0xff, 0xfe, 0x01, 0x02]),
  });
  expect(binary.status()).toBe(400);
  expect((await binary.json()).error).toMatch(/not a text file/);
  expect(await counts(request)).toEqual(before);
});

/** Path segments and query values as typed by hand or by a scanner: broken escapes included. */
const rawPiece = fc.oneof(
  fc.constantFrom(
    "%",
    "%E0",
    "%A4%A",
    "%C0%AF",
    "%zz",
    "%00",
    "%2F",
    "%25",
    "%F0%9F",
    "%FF",
    "%u0041",
    "..",
    "-",
    "1e308",
    "-1",
    "NaN",
    "overall",
    "math",
  ),
  fc.string({ maxLength: 6 }).map(encodeURIComponent),
);
const raw = fc.array(rawPiece, { minLength: 1, maxLength: 5 }).map((a) => a.join(""));

/** A page answered: a 2xx/3xx page, or a 4xx in the site's layout; never a 5xx. */
async function expectPageAnswer(res: APIResponse, url: string) {
  expect(res.status(), url).toBeLessThan(500);
  // the layout's navigation, in the HTML or (for a streamed not-found) in the RSC payload
  if (res.status() >= 400) expect(await res.text(), url).toMatch(/aria-label[\\"=:]+Main/);
}

const BAD_ADDRESSES = [
  "/models/%E0%A4%A",
  "/leaderboard/%C0%AF",
  "/leaderboard?ci=bogus",
  "/leaderboard?deprecated=yes",
];

test("bad addresses get the not-found page in the site's layout, not a 500", async ({ page }) => {
  for (const url of BAD_ADDRESSES) {
    const res = await page.goto(url);
    expect(res?.status(), url).toBe(404);
    await expect(page.getByTestId("not-found"), url).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Main" }), url).toBeVisible();
  }
});

test("page routes answer any segment and query without a 5xx", async ({ request }) => {
  test.setTimeout(180_000);
  await fc.assert(
    fc.asyncProperty(raw, raw, raw, async (segment, value, other) => {
      for (const url of [
        `/models/${segment}`,
        `/leaderboard/${segment}`,
        `/leaderboard?ci=${value}&deprecated=${other}`,
        `/leaderboard/${segment}?ci=${value}`,
        `/?${value}=${other}`,
        `/signin?callbackUrl=${value}&error=${other}`,
      ]) {
        await expectPageAnswer(await request.get(url, { maxRedirects: 0 }), url);
      }
    }),
    { numRuns: 30 },
  );
});

test("admin pages and admin API queries answer any query without a 5xx", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page);
  const res = await page.goto("/admin/prompts?page=1e308");
  expect(res?.status()).toBe(404);
  await expect(page.getByTestId("not-found")).toBeVisible();
  const before = await counts(page.request);
  await fc.assert(
    fc.asyncProperty(raw, raw, raw, async (q, category, pageNo) => {
      for (const url of [
        `/admin/prompts?q=${q}&category=${category}&page=${pageNo}`,
        `/admin/prompts?page=${pageNo}`,
        `/admin/votes?voter=${q}`,
        `/admin/models?${q}=${category}`,
      ]) {
        await expectPageAnswer(await page.request.get(url, { maxRedirects: 0 }), url);
      }
      const api = `/api/admin/import?format=${q}&dryRun=${category}&votes=${pageNo}&name=${q}`;
      const imp = await page.request.post(api, {
        headers: { Authorization: `Bearer ${ADMIN.token}` },
        data: Buffer.from("{"),
      });
      expectClientError(imp.status(), api);
    }),
    { numRuns: 30 },
  );
  expect(await counts(page.request)).toEqual(before);
});

import { request as httpRequest } from "node:http";
import { ADMIN, expect, test } from "./fixtures";

/**
 * Bodies: one overall cap in front of every route (scripts/body-cap.mjs), and an import that
 * reads a refused upload to its end before answering, so every client sees the answer.
 */

/** ~3 MB of prompt-set JSONL, 1,000 lines, line 501 broken. */
function brokenImport(): Buffer {
  const filler = "lorem ipsum dolor sit amet ".repeat(36);
  const lines: string[] = [];
  for (let i = 1; i <= 1000; i++) {
    lines.push(
      i === 501
        ? '{"prompt": "cut off here'
        : JSON.stringify({
            prompt: `Body-limit prompt ${i}: ${filler}`,
            responses: { "limit-a": `A ${i} ${filler}`, "limit-b": `B ${i} ${filler}` },
          }),
    );
  }
  return Buffer.from(`${lines.join("\n")}\n`);
}

test("a refused import answers every client, Node's fetch included, with the bad line", async ({
  baseURL,
}) => {
  test.setTimeout(200_000);
  const file = brokenImport();
  expect(file.length).toBeGreaterThan(2_900_000);
  const answers: string[] = [];
  for (let i = 0; i < 8; i++) {
    // Node's own fetch, not Playwright's client: it is the one that saw resets
    const res = await fetch(`${baseURL}/api/admin/import?dryRun=1`, {
      method: "POST",
      headers: { Authorization: `Bearer ${ADMIN.token}`, "Content-Type": "application/x-ndjson" },
      body: new Uint8Array(file),
      // a reset can also leave the request hanging: give each try a bound
      signal: AbortSignal.timeout(20_000),
    }).catch((e: Error) => e);
    if (res instanceof Error) {
      answers.push(`${res.message} ${String((res.cause as Error | undefined)?.message)}`);
      continue;
    }
    const body = await res.json();
    answers.push(`${res.status} line ${body.details?.errors?.[0]?.line}`);
    expect(body.error).toMatch(/^line 501: /);
  }
  expect(answers).toEqual(Array(8).fill("400 line 501"));
});

test("an imported text over IMPORT_MAX_TEXT_BYTES refuses the file, naming line and field", async ({
  request,
}) => {
  const prompts = async () => (await (await request.get("/api/health")).json()).prompts as number;
  const before = await prompts();
  const file = [
    { prompt: "Text-limit prompt one", responses: { "limit-a": "short", "limit-b": "short" } },
    {
      prompt: "Text-limit prompt two",
      responses: { "limit-a": "x".repeat(70_000), "limit-b": "ok" },
    },
  ]
    .map((r) => JSON.stringify(r))
    .join("\n");
  const res = await request.post("/api/admin/import", {
    headers: { Authorization: `Bearer ${ADMIN.token}`, "Content-Type": "application/x-ndjson" },
    data: Buffer.from(file),
  });
  expect(res.status()).toBe(400);
  const body = await res.json();
  expect(body.error).toMatch(
    /^line 2, field "responses\.limit-a": is 68\.4 KB, more than the 64 KB/,
  );
  expect(body.details.errors[0]).toMatchObject({ line: 2, field: "responses.limit-a" });
  expect(await prompts()).toBe(before);
});

/**
 * A POST on a fresh connection whose body is written in 64 KB pieces, chunked or with a declared
 * length; resolves with the answer, which may come before the body is all sent.
 */
function post(
  url: string,
  body: { size: number; declared: boolean; headers?: Record<string, string>; head?: Buffer },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: "POST",
        agent: false,
        headers: {
          "Content-Type": "application/octet-stream",
          ...body.headers,
          ...(body.declared ? { "Content-Length": body.size } : {}),
        },
      },
      (res) => {
        let text = "";
        res.on("data", (c) => {
          text += c;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on("error", reject);
      },
    );
    // the server stops reading a refused body: the answer is what counts
    req.on("error", () => {});
    const piece = Buffer.alloc(64 * 1024, 97);
    let sent = 0;
    if (body.head) {
      req.write(body.head);
      sent = body.head.length;
    }
    const pump = () => {
      while (sent < body.size) {
        const n = Math.min(piece.length, body.size - sent);
        sent += n;
        if (!req.write(piece.subarray(0, n))) {
          req.once("drain", pump);
          return;
        }
      }
      req.end();
    };
    pump();
  });
}

const CAPPED = {
  error: "The request body is larger than 1048576 bytes.",
  code: "payload_too_large",
};

test("every route refuses a declared body over 1 MiB with 413 JSON, before reading it", async ({
  baseURL,
}) => {
  // pages, API routes without a body limit of their own, the sign-in form, the vote fast path
  for (const path of ["/", "/leaderboard", "/api/leaderboard", "/api/auth/callback/credentials"]) {
    const r = await post(`${baseURL}${path}`, { size: 3 * 1024 * 1024, declared: true });
    expect(r.status, path).toBe(413);
    expect(JSON.parse(r.body), path).toEqual(CAPPED);
  }
  // under the cap, a route's own smaller limit still answers
  const vote = await post(`${baseURL}/api/battles`, { size: 2048, declared: false });
  expect(vote.status).toBe(413);
  expect(JSON.parse(vote.body).error).toBe("This endpoint takes no body larger than 1024 bytes.");
});

test("a chunked upload is cut off with 413 JSON once it passes the cap", async ({
  baseURL,
  request,
}) => {
  // The import's cap is IMPORT_MAX_BYTES (16 MiB in playwright.config.ts) plus 1 MiB for
  // multipart framing. A multipart body is read whole by the route before the import's own
  // limit can look at it: only the overall cap stops an endless one.
  const boundary = "----e2e-body-cap";
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.jsonl"\r\n` +
      "Content-Type: application/octet-stream\r\n\r\n",
  );
  const r = await post(`${baseURL}/api/admin/import?dryRun=1`, {
    size: 20 * 1024 * 1024,
    declared: false,
    head,
    headers: {
      Authorization: `Bearer ${ADMIN.token}`,
      "Content-Type": `multipart/form-data; boundary=${boundary}`,
    },
  });
  expect(r.status).toBe(413);
  expect(JSON.parse(r.body)).toEqual({
    error: `The request body is larger than ${17 * 1024 * 1024} bytes.`,
    code: "payload_too_large",
  });
  expect((await request.get("/api/health")).status()).toBe(200);
});

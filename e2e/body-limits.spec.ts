import { expect, test } from "@playwright/test";
import { ADMIN } from "./fixtures";

/**
 * Bodies: an import that reads a refused upload to its end before answering, so every client
 * sees the answer.
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
  const file = brokenImport();
  expect(file.length).toBeGreaterThan(2_900_000);
  const answers: string[] = [];
  for (let i = 0; i < 8; i++) {
    // Node's own fetch, not Playwright's client: it is the one that saw resets
    const res = await fetch(`${baseURL}/api/admin/import?dryRun=1`, {
      method: "POST",
      headers: { Authorization: `Bearer ${ADMIN.token}`, "Content-Type": "application/x-ndjson" },
      body: file,
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

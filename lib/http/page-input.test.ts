import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ArenaError } from "@/lib/errors";
import { decodeSegment, orNotFound, pageQuery } from "./page-input";

/** What Next's notFound() throws: the page then renders app/not-found.tsx with a 404. */
const NOT_FOUND = expect.objectContaining({ digest: "NEXT_HTTP_ERROR_FALLBACK;404" });

describe("page input", () => {
  it("decodes segments, and a malformed encoding is a 404, not a URIError", () => {
    expect(decodeSegment("gpt-4%20turbo")).toBe("gpt-4 turbo");
    for (const raw of ["%E0%A4%A", "%C0%AF", "%", "%zz", "%00", "gpt%004"]) {
      expect(() => decodeSegment(raw), raw).toThrow(NOT_FOUND);
    }
  });

  it("parses the first value of each parameter, and a refused query is a 404", () => {
    const schema = z.object({ ci: z.enum(["bootstrap", "sandwich"]).default("bootstrap") });
    expect(pageQuery(schema, { ci: ["sandwich", "bogus"] })).toEqual({ ci: "sandwich" });
    expect(() => pageQuery(z.object({ q: z.string() }), { q: "a\0b" })).toThrow(NOT_FOUND);
    expect(pageQuery(schema, {})).toEqual({ ci: "bootstrap" });
    expect(() => pageQuery(schema, { ci: "bogus" })).toThrow(NOT_FOUND);
  });

  it("turns the visitor's mistakes into a 404 and lets our own faults through", async () => {
    await expect(
      orNotFound(() => {
        throw new ArenaError("invalid_request", "bad");
      }),
    ).rejects.toThrow(NOT_FOUND);
    await expect(
      orNotFound(async () => {
        throw new ArenaError("not_found", "none");
      }),
    ).rejects.toThrow(NOT_FOUND);
    await expect(
      orNotFound(() => {
        throw new Error("disk on fire");
      }),
    ).rejects.toThrow("disk on fire");
    expect(await orNotFound(() => 7)).toBe(7);
  });
});

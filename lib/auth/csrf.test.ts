import { describe, expect, it } from "vitest";
import { isArenaError } from "@/lib/errors";
import { assertSameOrigin } from "./csrf";

const OWN = "https://arena.example.com";

function verdict(method: string, headers: Record<string, string>, own: string | null = OWN) {
  try {
    assertSameOrigin(method, new Headers(headers), own);
    return "ok";
  } catch (e) {
    if (!isArenaError(e)) throw e;
    expect(e.status).toBe(403);
    expect(e.code).toBe("cross_site_request");
    expect(e.message).toMatch(/Bearer <ADMIN_TOKEN>/);
    return "refused";
  }
}

describe("assertSameOrigin", () => {
  it("lets reads through whatever they say", () => {
    for (const method of ["GET", "HEAD", "OPTIONS"])
      expect(
        verdict(method, { origin: "https://evil.example", "sec-fetch-site": "cross-site" }),
      ).toBe("ok");
  });

  it("accepts the arena's own pages", () => {
    // The admin import form: XHR with an octet-stream body.
    const upload = {
      origin: OWN,
      "sec-fetch-site": "same-origin",
      "content-type": "application/octet-stream",
    };
    expect(verdict("POST", upload)).toBe("ok");
    expect(verdict("POST", { ...upload, "content-type": "multipart/form-data; boundary=x" })).toBe(
      "ok",
    );
    expect(verdict("PUT", { origin: OWN, "content-type": "application/json" })).toBe("ok");
    // An older browser: Origin but no fetch metadata.
    expect(verdict("POST", { origin: OWN, "content-type": "text/plain" })).toBe("ok");
    // Behind a proxy that changed the scheme, the browser's word is enough for a JSON body.
    expect(
      verdict("DELETE", {
        origin: "http://arena.example.com",
        "sec-fetch-site": "same-origin",
        "content-type": "application/json",
      }),
    ).toBe("ok");
  });

  it("refuses requests from other origins of the same site, and from other sites", () => {
    const forged: Record<string, string>[] = [
      // Another port of the same host (same-site: SameSite=Lax cookies go along).
      { origin: "https://arena.example.com:8443", "sec-fetch-site": "same-site" },
      // A sibling subdomain.
      { origin: "https://blog.example.com", "sec-fetch-site": "same-site" },
      { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
      { origin: "null", "sec-fetch-site": "cross-site" },
      // Older browsers: Origin only.
      { origin: "https://blog.example.com" },
      { origin: "null" },
      // A lying Origin cannot beat fetch metadata.
      { origin: OWN, "sec-fetch-site": "same-site" },
      // Nothing to go on.
      {},
      { "sec-fetch-site": "none" },
    ];
    for (const headers of forged)
      for (const type of ["text/plain", "application/json", "application/octet-stream"])
        expect(verdict("POST", { ...headers, "content-type": type }), JSON.stringify(headers)).toBe(
          "refused",
        );
  });

  it("refuses CORS-simple bodies unless Origin matches", () => {
    for (const type of [
      "text/plain;charset=UTF-8",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "TEXT/PLAIN",
    ]) {
      expect(verdict("POST", { "sec-fetch-site": "same-origin", "content-type": type })).toBe(
        "refused",
      );
      expect(
        verdict("POST", {
          origin: "http://arena.example.com",
          "sec-fetch-site": "same-origin",
          "content-type": type,
        }),
      ).toBe("refused");
      expect(verdict("POST", { origin: OWN, "content-type": type })).toBe("ok");
    }
  });

  it("refuses everything but reads when the arena's own origin is unknown and fetch metadata is absent", () => {
    expect(verdict("POST", { origin: OWN, "content-type": "application/json" }, null)).toBe(
      "refused",
    );
    expect(verdict("GET", {}, null)).toBe("ok");
  });
});

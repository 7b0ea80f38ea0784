import { describe, expect, it } from "vitest";
import { originFrom } from "./origin";

const h = (init: Record<string, string>) => new Headers(init);

describe("originFrom", () => {
  it("uses the configured public URL whatever the request says", () => {
    const headers = h({ host: "evil.example", "x-forwarded-host": "evil.example" });
    expect(originFrom(headers, { publicOrigin: "https://arena.example.com", trustProxy: 1 })).toBe(
      "https://arena.example.com",
    );
  });

  it("takes the Host header over plain HTTP when no proxy is trusted", () => {
    expect(originFrom(h({ host: "arena.lan:3000" }), { trustProxy: 0 })).toBe(
      "http://arena.lan:3000",
    );
    expect(originFrom(h({ host: "[::1]:3000" }), { trustProxy: 0 })).toBe("http://[::1]:3000");
  });

  it("ignores a client's own X-Forwarded-Host and -Proto without TRUST_PROXY", () => {
    const headers = h({
      host: "arena.lan",
      "x-forwarded-host": "evil.example",
      "x-forwarded-proto": "https",
    });
    expect(originFrom(headers, { trustProxy: 0 })).toBe("http://arena.lan");
  });

  it("believes the trusted proxy's X-Forwarded-Host and -Proto", () => {
    const headers = h({
      host: "127.0.0.1:3000",
      "x-forwarded-host": "arena.example.com",
      "x-forwarded-proto": "https",
    });
    expect(originFrom(headers, { trustProxy: 1 })).toBe("https://arena.example.com");
    // With two proxies, the value the outer one set, not one a client put in front of it.
    const chained = h({
      host: "127.0.0.1:3000",
      "x-forwarded-host": "evil.example, arena.example.com, inner.lan",
      "x-forwarded-proto": "http, https, http",
    });
    expect(originFrom(chained, { trustProxy: 2 })).toBe("https://arena.example.com");
    expect(originFrom(h({ host: "arena.lan" }), { trustProxy: 1 })).toBe("http://arena.lan");
  });

  it("refuses hosts that are not hosts", () => {
    for (const host of [
      "",
      "evil.example/path",
      "a b",
      "evil.example@x",
      "x:99999999",
      "x:99999",
      "\u00e9.x",
    ])
      expect(originFrom(h(host ? { host } : {}), { trustProxy: 0 }), host).toBeNull();
    expect(
      originFrom(h({ host: "a", "x-forwarded-proto": "javascript" }), { trustProxy: 1 }),
    ).toBeNull();
  });
});

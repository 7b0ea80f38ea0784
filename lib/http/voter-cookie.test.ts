import { afterEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { submitVote } from "./battle-endpoints";
import { voterCookieSecure, voterSetCookie } from "./voter-cookie";

const h = (init: Record<string, string>) => new Headers(init);
const lan = h({ host: "192.168.1.20:3000" });

describe("voterCookieSecure", () => {
  it("is off for a plain-HTTP request from a network address: the phone on the LAN keeps its voter", () => {
    expect(voterCookieSecure(lan, { trustProxy: 0 })).toBe(false);
  });

  it("does not believe a client's own X-Forwarded-Proto without TRUST_PROXY", () => {
    const spoofed = h({ host: "192.168.1.20:3000", "x-forwarded-proto": "https" });
    expect(voterCookieSecure(spoofed, { trustProxy: 0 })).toBe(false);
  });

  it("is on when a trusted proxy says the browser came over HTTPS", () => {
    const proxied = h({ host: "127.0.0.1:3000", "x-forwarded-proto": "https" });
    expect(voterCookieSecure(proxied, { trustProxy: 1 })).toBe(true);
    const plain = h({ host: "127.0.0.1:3000", "x-forwarded-proto": "http" });
    expect(voterCookieSecure(plain, { trustProxy: 1 })).toBe(false);
  });

  it("follows the public URL when one is configured", () => {
    expect(
      voterCookieSecure(lan, { publicOrigin: "https://arena.example.com", trustProxy: 0 }),
    ).toBe(true);
    expect(voterCookieSecure(lan, { publicOrigin: "http://arena.lan:3000", trustProxy: 0 })).toBe(
      false,
    );
  });

  it("COOKIE_SECURE forces it either way", () => {
    expect(voterCookieSecure(lan, { forced: true, trustProxy: 0 })).toBe(true);
    const https = h({ host: "x", "x-forwarded-proto": "https" });
    expect(voterCookieSecure(https, { forced: false, trustProxy: 1 })).toBe(false);
  });
});

describe("the voter cookie in production", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    resetEnvCache();
  });

  function production(extra: Record<string, string>) {
    process.env = {
      ...saved,
      NODE_ENV: "production",
      AUTH_SECRET: "a-test-secret-of-enough-length-0123456789",
      COOKIE_SECURE: "",
      NEXTAUTH_URL: "",
      AUTH_URL: "",
      TRUST_PROXY: "",
      ...extra,
    };
    resetEnvCache();
  }

  it("lacks Secure over plain HTTP by default, and has it behind an https public URL", () => {
    production({});
    expect(voterSetCookie("voter-id-0123456789", lan)).not.toMatch(/;\s*Secure/i);
    production({ NEXTAUTH_URL: "https://arena.example.com" });
    expect(voterSetCookie("voter-id-0123456789", lan)).toMatch(/; Secure$/);
    production({ COOKIE_SECURE: "1" });
    expect(voterSetCookie("voter-id-0123456789", lan)).toMatch(/; Secure$/);
  });
});

describe("a vote without a voter", () => {
  it("says the cookie is missing and why, rather than 'no such battle'", async () => {
    await expect(
      submitVote("some-battle", undefined, "127.0.0.1", '{"winner":"a"}'),
    ).rejects.toThrow(
      expect.objectContaining({
        code: "voter_cookie_missing",
        status: 404,
        message: expect.stringMatching(/without the arena's cookie.*http:\/\//s),
      }),
    );
  });

  it("says a cookie it did not sign is not valid here", async () => {
    await expect(
      submitVote("some-battle", "forged.cookie", "127.0.0.1", '{"winner":"a"}'),
    ).rejects.toThrow(
      expect.objectContaining({
        code: "battle_not_found",
        message: expect.stringMatching(/not valid/),
      }),
    );
  });
});

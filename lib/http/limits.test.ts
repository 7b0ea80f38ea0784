import { afterEach, describe, expect, it } from "vitest";
import { clientIp } from "./limits";

const TOKEN = Symbol.for("arena.clientIpToken");
const g = globalThis as { [TOKEN]?: string };

afterEach(() => {
  delete g[TOKEN];
});

const request = (headers: Record<string, string>) => ({ headers: new Headers(headers) });

describe("clientIp", () => {
  it("believes the address only next to the server's own token", () => {
    g[TOKEN] = "server-token-0123456789";
    expect(
      clientIp(
        request({ "x-arena-client-ip": "203.0.113.5", "x-arena-client-ip-token": g[TOKEN] }),
      ),
    ).toBe("203.0.113.5");
  });

  it("ignores a client-ip header the client sent itself, with or without a guessed token", () => {
    g[TOKEN] = "server-token-0123456789";
    expect(clientIp(request({ "x-arena-client-ip": "203.0.113.5" }))).toBe("unknown");
    expect(
      clientIp(request({ "x-arena-client-ip": "203.0.113.5", "x-arena-client-ip-token": "guess" })),
    ).toBe("unknown");
  });

  it("believes nothing where scripts/server.mjs does not run (next dev)", () => {
    expect(
      clientIp(request({ "x-arena-client-ip": "203.0.113.5", "x-arena-client-ip-token": "" })),
    ).toBe("unknown");
  });
});

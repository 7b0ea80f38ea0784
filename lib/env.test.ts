import { afterEach, describe, expect, it } from "vitest";
import { defaultLeaderboardMethod, env, resetEnvCache } from "./env";

const saved = { ...process.env };

function withEnv(vars: Record<string, string | undefined>) {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
  return env();
}

afterEach(() => {
  process.env = { ...saved };
  resetEnvCache();
});

describe("the public URL and proxies", () => {
  it("takes the origin of NEXTAUTH_URL, else AUTH_URL", () => {
    expect(
      withEnv({ NEXTAUTH_URL: "https://arena.example.com/", AUTH_URL: undefined }).publicOrigin,
    ).toBe("https://arena.example.com");
    expect(
      withEnv({ NEXTAUTH_URL: undefined, AUTH_URL: "http://arena.lan:8080/api/auth" }).publicOrigin,
    ).toBe("http://arena.lan:8080");
    expect(
      withEnv({ NEXTAUTH_URL: "https://a.example", AUTH_URL: "https://b.example" }).publicOrigin,
    ).toBe("https://a.example");
    expect(withEnv({ NEXTAUTH_URL: undefined, AUTH_URL: undefined }).publicOrigin).toBeUndefined();
  });

  it("refuses a public URL the arena cannot be served at, naming the variable", () => {
    for (const bad of [
      "arena.example.com",
      "ftp://arena.example.com",
      "https://arena.example.com/arena",
      "https://arena.example.com/?x=1",
      "https://user:pw@arena.example.com",
    ])
      expect(() => withEnv({ NEXTAUTH_URL: bad }), bad).toThrow(/NEXTAUTH_URL/);
  });

  it("reads TRUST_PROXY, for the app and scripts/server.mjs alike", () => {
    expect(withEnv({ TRUST_PROXY: undefined }).TRUST_PROXY).toBe(0);
    expect(withEnv({ TRUST_PROXY: "true" }).TRUST_PROXY).toBe(1);
    expect(withEnv({ TRUST_PROXY: "false" }).TRUST_PROXY).toBe(0);
    expect(withEnv({ TRUST_PROXY: "2" }).TRUST_PROXY).toBe(2);
    expect(() => withEnv({ TRUST_PROXY: "yes please" })).toThrow(/TRUST_PROXY/);
  });
});

describe("the server's switches", () => {
  it("reads ARENA_DB_SYNC as normal or full, and refuses anything else by name", () => {
    expect(withEnv({ ARENA_DB_SYNC: undefined }).ARENA_DB_SYNC).toBe("normal");
    expect(withEnv({ ARENA_DB_SYNC: "full" }).ARENA_DB_SYNC).toBe("full");
    expect(() => withEnv({ ARENA_DB_SYNC: "FULL!" })).toThrow(
      /ARENA_DB_SYNC: must be "normal" or "full"/,
    );
  });

  it("reads ARENA_FAST_PATH as a flag, on by default, and refuses anything else by name", () => {
    expect(withEnv({ ARENA_FAST_PATH: undefined }).ARENA_FAST_PATH).toBe(true);
    expect(withEnv({ ARENA_FAST_PATH: "0" }).ARENA_FAST_PATH).toBe(false);
    expect(withEnv({ ARENA_FAST_PATH: "off" }).ARENA_FAST_PATH).toBe(false);
    expect(() => withEnv({ ARENA_FAST_PATH: "nope" })).toThrow(/ARENA_FAST_PATH/);
  });
});

describe("the leaderboard's default view", () => {
  it("is the bootstrap unless LEADERBOARD_REWEIGHT asks for LMArena's reweighted sandwich", () => {
    withEnv({ LEADERBOARD_REWEIGHT: undefined });
    expect(defaultLeaderboardMethod()).toBe("bootstrap");
    withEnv({ LEADERBOARD_REWEIGHT: "1" });
    expect(defaultLeaderboardMethod()).toBe("reweighted");
    expect(() => withEnv({ LEADERBOARD_REWEIGHT: "maybe" })).toThrow(/LEADERBOARD_REWEIGHT/);
  });
});

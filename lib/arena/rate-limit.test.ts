import { describe, expect, it } from "vitest";
import { RateLimiter } from "./rate-limit";

describe("RateLimiter", () => {
  it("allows up to max per window, then refuses with the time to wait", () => {
    let t = 1_000;
    const rl = new RateLimiter(() => t);
    const limits = [{ max: 3, windowMs: 60_000 }];
    for (let i = 0; i < 3; i++) expect(rl.hit("v", limits).ok).toBe(true);
    t += 10_000;
    expect(rl.hit("v", limits)).toEqual({ ok: false, retryAfterMs: 50_000, limit: limits[0] });
    expect(rl.hit("other", limits).ok).toBe(true);
    t += 50_000;
    expect(rl.hit("v", limits).ok).toBe(true);
  });

  it("checks every window and counts nothing when one refuses", () => {
    let t = 0;
    const rl = new RateLimiter(() => t);
    const limits = [
      { max: 2, windowMs: 1_000 },
      { max: 3, windowMs: 10_000 },
    ];
    expect(rl.hit("k", limits).ok).toBe(true);
    expect(rl.hit("k", limits).ok).toBe(true);
    expect(rl.hit("k", limits).ok).toBe(false);
    t = 1_000;
    expect(rl.hit("k", limits).ok).toBe(true);
    const refused = rl.hit("k", limits);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.limit.windowMs).toBe(10_000);
    t = 2_000;
    expect(rl.hit("k", limits).ok).toBe(false);
  });
});

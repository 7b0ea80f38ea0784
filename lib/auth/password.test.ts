import { performance } from "node:perf_hooks";
import bcrypt from "bcryptjs";
import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "./password";

describe("password hashing", () => {
  it("hashes with bcrypt at cost 12 and verifies", async () => {
    const hash = await hashPassword("correct horse battery");
    expect(hash).toMatch(/^\$2[ab]\$12\$/);
    expect(await verifyPassword("correct horse battery", hash)).toBe(true);
    expect(await verifyPassword("correct horse batterY", hash)).toBe(false);
  });

  it("still accepts hashes made before (bcryptjs on the main thread, $2a$ and $2b$)", async () => {
    const b = bcrypt.hashSync("an-existing-password", 4);
    const a = bcrypt.hashSync("an-existing-password", "$2a$04$abcdefghijklmnopqrstuu");
    expect(a.startsWith("$2a$04$")).toBe(true);
    for (const hash of [a, b]) {
      expect(await verifyPassword("an-existing-password", hash)).toBe(true);
      expect(await verifyPassword("another-password", hash)).toBe(false);
    }
  });

  it("keeps the event loop free while it works", async () => {
    // Warm the worker up, so its start is not measured.
    await verifyPassword("x", "$2b$04$abcdefghijklmnopqrstuuZ1rMZ6nq4LZ3RmqwLNmV8cgX8fD8hdC");
    const hash = await hashPassword("a-password-to-check");
    const before = performance.eventLoopUtilization();
    const results = await Promise.all(
      Array.from({ length: 4 }, () => verifyPassword("a-password-to-check", hash)),
    );
    const used = performance.eventLoopUtilization(before);
    expect(results).toEqual([true, true, true, true]);
    // Four checks at cost 12 take a second of CPU; on the main thread utilization would be ~1.
    expect(used.utilization).toBeLessThan(0.2);
  });
});

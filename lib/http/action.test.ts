import { describe, expect, it, vi } from "vitest";
import { z } from "zod";

vi.mock("@/lib/auth/guard", () => ({
  sessionAdmin: async () => ({ email: "admin@example.com", role: "admin" }),
}));
const { adminAction } = await import("./action");

const form = (entries: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(entries)) f.set(k, v);
  return f;
};

describe("adminAction", () => {
  const ran = vi.fn(async () => ({ ok: "saved" }));
  const action = adminAction(
    z.object({ displayName: z.string().min(1) }),
    (f) => ({ displayName: f.get("displayName") }),
    ran,
  );

  it("runs with a valid form, and refuses a bad field by name without running", async () => {
    expect(await action({}, form({ displayName: "GPT" }))).toEqual({ ok: "saved" });
    expect((await action({}, form({ displayName: "" }))).fields).toHaveProperty("displayName");
    expect(ran).toHaveBeenCalledTimes(1);
  });

  it("refuses a NUL in any field, which PostgreSQL could not store", async () => {
    ran.mockClear();
    const r = await action({}, form({ displayName: "G\u0000PT" }));
    expect(r.error).toBe("displayName: holds a NUL character, which no text may");
    expect(ran).not.toHaveBeenCalled();
  });
});

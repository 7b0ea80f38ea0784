import { describe, expect, it } from "vitest";
import { testDb } from "@/tests/helpers/db";
import {
  createAdminSession,
  isActiveAdminSession,
  revokeAdminSession,
  revokeAdminSessionsOf,
} from "./sessions";
import { removeAdmin, upsertAdmin } from "./users";

const HOUR = 3600_000;
const T0 = 1_700_000_000_000;

describe("admin sessions", () => {
  it("is active until it expires or is revoked, and only for its own email", async () => {
    const db = await testDb();
    const id = await createAdminSession(db, "Admin@Example.com", HOUR, T0);
    expect(id).toMatch(/^[\w-]{22}$/);
    expect(await isActiveAdminSession(db, id, "admin@example.com", T0 + 1)).toBe(true);
    expect(await isActiveAdminSession(db, id, "other@example.com", T0 + 1)).toBe(false);
    expect(await isActiveAdminSession(db, "made-up-id", "admin@example.com", T0 + 1)).toBe(false);
    expect(await isActiveAdminSession(db, id, "admin@example.com", T0 + HOUR)).toBe(false);
    await revokeAdminSession(db, id, T0 + 2);
    expect(await isActiveAdminSession(db, id, "admin@example.com", T0 + 3)).toBe(false);
  });

  it("signing out ends one session; revoking an admin's ends them all", async () => {
    const db = await testDb();
    const laptop = await createAdminSession(db, "a@example.com", HOUR, T0);
    const phone = await createAdminSession(db, "a@example.com", HOUR, T0);
    const other = await createAdminSession(db, "b@example.com", HOUR, T0);
    await revokeAdminSession(db, laptop, T0);
    expect(await isActiveAdminSession(db, phone, "a@example.com", T0)).toBe(true);
    expect(await revokeAdminSessionsOf(db, "A@example.com", T0)).toBe(1);
    expect(await isActiveAdminSession(db, phone, "a@example.com", T0)).toBe(false);
    expect(await isActiveAdminSession(db, other, "b@example.com", T0)).toBe(true);
  });

  it("removing an admin ends their sessions", async () => {
    const db = await testDb();
    await upsertAdmin(db, { email: "gone@example.com", password: "a-long-enough-password" });
    const id = await createAdminSession(db, "gone@example.com", HOUR);
    expect(await removeAdmin(db, "Gone@example.com")).toBe(true);
    expect(await isActiveAdminSession(db, id, "gone@example.com")).toBe(false);
    expect(await removeAdmin(db, "gone@example.com")).toBe(false);
  });

  it("a new password ends the admin's sessions; the same password again does not", async () => {
    const db = await testDb();
    await upsertAdmin(db, { email: "a@example.com", password: "first-password-123" });
    const id = await createAdminSession(db, "a@example.com", HOUR);
    expect(
      await upsertAdmin(db, { email: "a@example.com", password: "first-password-123" }),
    ).toEqual({ created: false, passwordChanged: false });
    expect(await isActiveAdminSession(db, id, "a@example.com")).toBe(true);
    expect(
      await upsertAdmin(db, { email: "a@example.com", password: "second-password-123" }),
    ).toEqual({ created: false, passwordChanged: true });
    expect(await isActiveAdminSession(db, id, "a@example.com")).toBe(false);
  });
});

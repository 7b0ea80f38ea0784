import { count, eq } from "drizzle-orm";
import { z } from "zod";
import type { ArenaDb } from "@/db/client";
import { changes } from "@/db/rows";
import { users } from "@/db/schema";
import { ArenaError } from "@/lib/errors";
import { generatePassword, hashPassword, verifyPassword } from "./password";
import { revokeAdminSessionsOf } from "./sessions";
import { clearAccountThrottle } from "./throttle";

export const emailSchema = z.email("is not an email address").transform((e) => e.toLowerCase());
export const passwordSchema = z.string().min(12, "must be at least 12 characters").max(200);

export type AdminUser = { id: number; email: string; name: string | null; role: "admin" };

export async function findUserByEmail(db: ArenaDb, email: string) {
  const [user] = await db.select().from(users).where(eq(users.email, email.toLowerCase())).limit(1);
  return user;
}

export async function countUsers(db: ArenaDb): Promise<number> {
  const [row] = await db.select({ n: count() }).from(users);
  return row?.n ?? 0;
}

/** The user for these credentials, or null; the hash is checked even for unknown emails so timing does not tell them apart. */
export async function checkCredentials(
  db: ArenaDb,
  email: string,
  password: string,
): Promise<AdminUser | null> {
  const user = await findUserByEmail(db, email);
  const hash = user?.passwordHash ?? "$2b$12$Stm9DlemRpd1dW0rmZSE/e1i96k2BTki8X4e06q0U5HiDAUCwtZ1a";
  const ok = await verifyPassword(password, hash);
  if (!user?.passwordHash || !ok) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

/**
 * Creates an admin, or sets the password of an existing one. A changed password ends every
 * session of that admin (whoever knew the old one is signed out); the same password again, as
 * on every start with ADMIN_PASSWORD, leaves them alone. Either way the account's sign-in
 * lockout is lifted: this is how an operator lets a locked-out admin back in.
 */
export async function upsertAdmin(
  db: ArenaDb,
  input: { email: string; password: string; name?: string },
): Promise<{ created: boolean; passwordChanged: boolean }> {
  const email = emailSchema.parse(input.email);
  const parsed = passwordSchema.safeParse(input.password);
  if (!parsed.success) {
    throw new ArenaError(
      "invalid_request",
      `The password ${parsed.error.issues[0]?.message ?? "is invalid"}.`,
    );
  }
  const existing = await findUserByEmail(db, email);
  await clearAccountThrottle(db, email);
  if (existing?.passwordHash && (await verifyPassword(input.password, existing.passwordHash))) {
    return { created: false, passwordChanged: false };
  }
  const passwordHash = await hashPassword(input.password);
  if (existing) {
    await db.update(users).set({ passwordHash, role: "admin" }).where(eq(users.id, existing.id));
    await revokeAdminSessionsOf(db, email);
    return { created: false, passwordChanged: true };
  }
  await db.insert(users).values({ email, passwordHash, name: input.name ?? null, role: "admin" });
  return { created: true, passwordChanged: true };
}

/** Removes an admin and ends their sessions at once; false when there was no such user. */
export async function removeAdmin(db: ArenaDb, email: string): Promise<boolean> {
  const normalized = email.trim().toLowerCase();
  const removed = changes(await db.delete(users).where(eq(users.email, normalized))) > 0;
  await revokeAdminSessionsOf(db, normalized);
  return removed;
}

/**
 * The first admin, on start: from ADMIN_EMAIL/ADMIN_PASSWORD when set (the password is reset
 * to the configured one, so the environment stays the source of truth), otherwise — only on an
 * install with no users at all — a generated one whose password the caller prints once.
 */
export async function ensureFirstAdmin(
  db: ArenaDb,
  config: { email?: string; password?: string },
): Promise<{ email: string; generatedPassword?: string; created: boolean } | null> {
  if (config.email && config.password) {
    const { created } = await upsertAdmin(db, { email: config.email, password: config.password });
    return { email: config.email.toLowerCase(), created };
  }
  if ((await countUsers(db)) > 0) return null;
  const email = config.email ?? "admin@arena.local";
  const password = generatePassword();
  await upsertAdmin(db, { email, password });
  return { email, generatedPassword: password, created: true };
}

import { randomBytes } from "node:crypto";
import { and, eq, gt, isNull, lt } from "drizzle-orm";
import type { ArenaDb } from "@/db/client";
import { changes } from "@/db/rows";
import { adminSessions } from "@/db/schema";

/**
 * Server-side records of admin sessions. The session cookie (a JWT) carries the row's id, and
 * a cookie counts only while its row exists, is unexpired and unrevoked: signing out, or
 * removing the admin, ends the session even for a copy of the cookie.
 */

/** A new session for `email`, valid for `ttlMs`; returns its id (128 random bits). */
export async function createAdminSession(
  db: ArenaDb,
  email: string,
  ttlMs: number,
  now = Date.now(),
): Promise<string> {
  const id = randomBytes(16).toString("base64url");
  await db.insert(adminSessions).values({
    id,
    email: email.toLowerCase(),
    createdAt: new Date(now),
    expiresAt: new Date(now + ttlMs),
  });
  // Sessions expired for a day are of no further use; keep the table small as new ones come.
  await db.delete(adminSessions).where(lt(adminSessions.expiresAt, new Date(now - 24 * 3600_000)));
  return id;
}

/** True when session `id` belongs to `email` and is neither expired nor revoked. */
export async function isActiveAdminSession(
  db: ArenaDb,
  id: string,
  email: string,
  now = Date.now(),
): Promise<boolean> {
  const [row] = await db
    .select({ id: adminSessions.id })
    .from(adminSessions)
    .where(
      and(
        eq(adminSessions.id, id),
        eq(adminSessions.email, email.toLowerCase()),
        isNull(adminSessions.revokedAt),
        gt(adminSessions.expiresAt, new Date(now)),
      ),
    )
    .limit(1);
  return row !== undefined;
}

/** Signing out: this one session ends. */
export async function revokeAdminSession(db: ArenaDb, id: string, now = Date.now()): Promise<void> {
  await db
    .update(adminSessions)
    .set({ revokedAt: new Date(now) })
    .where(and(eq(adminSessions.id, id), isNull(adminSessions.revokedAt)));
}

/** Removing an admin or changing their password: every session of theirs ends. */
export async function revokeAdminSessionsOf(
  db: ArenaDb,
  email: string,
  now = Date.now(),
): Promise<number> {
  return changes(
    await db
      .update(adminSessions)
      .set({ revokedAt: new Date(now) })
      .where(and(eq(adminSessions.email, email.toLowerCase()), isNull(adminSessions.revokedAt))),
  );
}

import "server-only";
import { decode } from "next-auth/jwt";
import type { ArenaDb } from "@/db/client";
import { authSecret, env } from "@/lib/env";
import { isActiveAdminSession } from "./sessions";
import { findUserByEmail } from "./users";

export interface Admin {
  email: string;
  via: "session" | "token";
}

export interface SessionClaims {
  email: string;
  /** The admin_sessions row this cookie belongs to. */
  sid: string;
}

/**
 * The session cookie's name. `Secure` (and so the `__Secure-` prefix) follows COOKIE_SECURE,
 * like the voter cookie, rather than next-auth's guess from its base URL: every reader and
 * writer of the cookie (next-auth, the proxy, the guard) must agree on one name.
 */
export function sessionCookieName(): string {
  return env().cookieSecure ? "__Secure-next-auth.session-token" : "next-auth.session-token";
}

type CookieJar = { getAll(): { name: string; value: string }[] };

/**
 * The claims of the request's session cookie (next-auth splits a large one into `name.0`,
 * `name.1`, …), or null when there is none or it is not a JWT sealed with our secret.
 */
export async function sessionClaims(jar: CookieJar): Promise<SessionClaims | null> {
  const name = sessionCookieName();
  const parts = jar
    .getAll()
    .filter((c) => c.name === name || c.name.startsWith(`${name}.`))
    .map((c) => ({ ...c, chunk: c.name === name ? 0 : Number(c.name.slice(name.length + 1)) }))
    .sort((a, b) => a.chunk - b.chunk);
  const token = parts.map((c) => c.value).join("");
  if (!token) return null;
  try {
    const claims = await decode({ token, secret: authSecret() });
    return typeof claims?.email === "string" && typeof claims.sid === "string"
      ? { email: claims.email, sid: claims.sid }
      : null;
  } catch {
    return null;
  }
}

/**
 * What a session cookie is worth right now: null when its session was revoked, has expired or
 * never existed (sign in again); "not-admin" for an account that is no longer an admin.
 * Checked against the database on every call, so sign-out and removal take effect at once.
 */
export async function adminOfSession(
  db: ArenaDb,
  claims: SessionClaims | null,
): Promise<Admin | null | "not-admin"> {
  if (!claims || !(await isActiveAdminSession(db, claims.sid, claims.email))) return null;
  return (await findUserByEmail(db, claims.email))?.role === "admin"
    ? { email: claims.email, via: "session" }
    : "not-admin";
}

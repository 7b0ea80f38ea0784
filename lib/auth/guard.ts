import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getDb } from "@/db";
import { env } from "@/lib/env";
import { ArenaError } from "@/lib/errors";
import { requestOrigin } from "@/lib/http/origin";
import { assertSameOrigin } from "./csrf";
import { type Admin, adminOfSession, sessionClaims } from "./session-cookie";

export type { Admin } from "./session-cookie";

/** Compares digests, so neither the length nor a prefix of the token leaks through timing. */
export function tokenMatches(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * The signed-in admin. The cookie must name a live row of admin_sessions (signed out or
 * removed admins lose access at once, even with a copy of the cookie) of a current admin.
 */
export async function sessionAdmin(): Promise<Admin | null | "not-admin"> {
  return adminOfSession(await getDb(), await sessionClaims(await cookies()));
}

/** For admin pages: the admin, or a redirect to the sign-in page that comes back here. */
export async function requireAdminPage(path: string): Promise<Admin> {
  const admin = await sessionAdmin();
  if (admin === null || admin === "not-admin") {
    redirect(
      `/signin?callbackUrl=${encodeURIComponent(path)}${admin ? "&error=AccessDenied" : ""}`,
    );
  }
  return admin;
}

/**
 * For the admin API: `Authorization: Bearer $ADMIN_TOKEN`, or an admin session; else 401/403.
 * A browser sends the session cookie along with requests other sites make, so a state-changing
 * request on the cookie must also come from this arena's own pages (see assertSameOrigin); the
 * bearer token is never sent by a browser on its own and needs no such check.
 */
export async function requireAdminApi(request: Request): Promise<Admin> {
  const header = request.headers.get("authorization");
  if (header !== null) {
    const token = /^Bearer\s+(.+)$/i.exec(header.trim())?.[1];
    const expected = env().ADMIN_TOKEN;
    if (token && expected && tokenMatches(token, expected)) return { email: "token", via: "token" };
    throw new ArenaError("unauthorized", "The bearer token is not valid for the admin API.");
  }
  const admin = await sessionAdmin();
  if (admin === null)
    throw new ArenaError(
      "unauthorized",
      "Sign in as an admin, or send Authorization: Bearer <ADMIN_TOKEN>.",
    );
  if (admin === "not-admin") throw new ArenaError("forbidden", "This account is not an admin.");
  assertSameOrigin(request.method, request.headers, requestOrigin(request.headers));
  return admin;
}

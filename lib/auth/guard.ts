import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import { getDb } from "@/db";
import { env } from "@/lib/env";
import { ArenaError } from "@/lib/errors";
import { authOptions } from "./options";
import { findUserByEmail } from "./users";

export interface Admin {
  email: string;
  via: "session" | "token";
}

/** Compares digests, so neither the length nor a prefix of the token leaks through timing. */
export function tokenMatches(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The signed-in admin, checked against the database on every call so a removed admin loses access at once. */
export async function sessionAdmin(): Promise<Admin | null | "not-admin"> {
  const session = await getServerSession(authOptions());
  const email = session?.user?.email;
  if (!email) return null;
  return findUserByEmail(getDb(), email)?.role === "admin"
    ? { email, via: "session" }
    : "not-admin";
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

/** For the admin API: `Authorization: Bearer $ADMIN_TOKEN`, or an admin session; else 401/403. */
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
  return admin;
}

import { type NextRequest, NextResponse } from "next/server";
import { getDb } from "@/db";
import { adminOfSession, sessionClaims } from "@/lib/auth/session-cookie";
import { contentSecurityPolicy } from "@/lib/http/csp";

/**
 * Runs before every page (not the API or static files):
 * - admin pages without a live session (signed out, expired, forged) go straight to sign-in
 *   (each page checks again, and for the admin role);
 * - a fresh nonce-based Content-Security-Policy, which Next.js reads from the request to put
 *   the nonce on its own scripts, so no other inline script can run.
 * It writes nothing and hands out no voter id: a voter is created by POST /api/battles (or
 * POST /api/voters), when a person's browser asks for a battle.
 */
export async function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  if (pathname.startsWith("/admin")) {
    if ((await adminOfSession(await getDb(), await sessionClaims(request.cookies))) === null) {
      const url = new URL("/signin", request.url);
      url.searchParams.set("callbackUrl", pathname + request.nextUrl.search);
      return NextResponse.redirect(url);
    }
  }
  const csp = contentSecurityPolicy(
    btoa(crypto.randomUUID()),
    process.env.NODE_ENV === "development",
  );
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

export const config = {
  matcher: [{ source: "/((?!api/|_next/static|_next/image|favicon\\.ico|robots\\.txt).*)" }],
};

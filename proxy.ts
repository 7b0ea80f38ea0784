import { type NextRequest, NextResponse } from "next/server";
import { getDb } from "@/db";
import { signVoterId, VOTER_COOKIE } from "@/lib/arena/voter";
import { adminOfSession, sessionClaims } from "@/lib/auth/session-cookie";
import { authSecret } from "@/lib/env";
import { contentSecurityPolicy } from "@/lib/http/csp";
import { setVoterCookie, voterFromRequest } from "@/lib/http/voter";

/**
 * Runs before every page (not the API or static files):
 * - admin pages without a live session (signed out, expired, forged) go straight to sign-in
 *   (each page checks again, and for the admin role);
 * - a fresh nonce-based Content-Security-Policy, which Next.js reads from the request to put
 *   the nonce on its own scripts, so no other inline script can run;
 * - a first-time visitor of the arena gets an anonymous voter id, also put on the forwarded
 *   request, the only way the page can see a cookie set in this same response.
 */
export async function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  if (pathname.startsWith("/admin")) {
    if (adminOfSession(getDb(), await sessionClaims(request.cookies)) === null) {
      const url = new URL("/signin", request.url);
      url.searchParams.set("callbackUrl", pathname + request.nextUrl.search);
      return NextResponse.redirect(url);
    }
  }
  const voter = pathname === "/" ? voterFromRequest(request) : null;
  if (voter?.isNew) request.cookies.set(VOTER_COOKIE, signVoterId(voter.id, authSecret()));
  const csp = contentSecurityPolicy(
    btoa(crypto.randomUUID()),
    process.env.NODE_ENV === "development",
  );
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", csp);
  if (voter?.isNew) setVoterCookie(response, voter.id);
  return response;
}

export const config = {
  matcher: [{ source: "/((?!api/|_next/static|_next/image|favicon\\.ico|robots\\.txt).*)" }],
};

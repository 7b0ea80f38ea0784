import { type NextRequest, NextResponse } from "next/server";
import { getToken } from "next-auth/jwt";
import { authSecret } from "@/lib/env";
import { contentSecurityPolicy } from "@/lib/http/csp";

/**
 * Runs before every page (not the API or static files):
 * - admin pages without a valid session go straight to sign-in (each page checks the
 *   database again);
 * - a fresh nonce-based Content-Security-Policy, which Next.js reads from the request to put
 *   the nonce on its own scripts, so no other inline script can run.
 * It writes nothing and hands out no voter id: a voter is created by POST /api/battles (or
 * POST /api/voters), when a person's browser asks for a battle.
 */
export async function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  if (pathname.startsWith("/admin")) {
    const token = await getToken({ req: request, secret: authSecret() });
    if (!token?.email) {
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

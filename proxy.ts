import { type NextRequest, NextResponse } from "next/server";
import { getToken } from "next-auth/jwt";
import { signVoterId, VOTER_COOKIE } from "@/lib/arena/voter";
import { authSecret } from "@/lib/env";
import { setVoterCookie, voterFromRequest } from "@/lib/http/voter";

/**
 * Two jobs before a page renders. Admin pages: no valid session, no render — straight to the
 * sign-in page (each page checks again against the database). The arena page: give a
 * first-time visitor an anonymous voter id, also put on the forwarded request, which is the
 * only way the page can see a cookie set in this same response.
 */
export async function proxy(request: NextRequest) {
  if (request.nextUrl.pathname.startsWith("/admin")) {
    const token = await getToken({ req: request, secret: authSecret() });
    if (!token?.email) {
      const url = new URL("/signin", request.url);
      url.searchParams.set("callbackUrl", request.nextUrl.pathname + request.nextUrl.search);
      return NextResponse.redirect(url);
    }
    return NextResponse.next();
  }
  const voter = voterFromRequest(request);
  if (!voter.isNew) return NextResponse.next();
  request.cookies.set(VOTER_COOKIE, signVoterId(voter.id, authSecret()));
  const response = NextResponse.next({ request: { headers: request.headers } });
  setVoterCookie(response, voter.id);
  return response;
}

export const config = { matcher: ["/", "/admin", "/admin/:path*"] };

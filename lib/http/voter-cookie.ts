/** The voter cookie over HTTP: the voter a request's cookie names, and the Set-Cookie that names one. */
import type { NextResponse } from "next/server";
import {
  signVoterId,
  VOTER_COOKIE,
  VOTER_COOKIE_MAX_AGE,
  verifyVoterCookie,
} from "@/lib/arena/voter-id";
import { authSecret, env } from "@/lib/env";
import { type HeaderReader, servedOverHttps } from "./origin";

export function voterFromCookie(value: string | undefined): string | null {
  return verifyVoterCookie(value, authSecret());
}

/**
 * Whether this request's voter cookie gets `Secure`: COOKIE_SECURE when set, else only when the
 * browser reached the arena over HTTPS. A browser drops a `Secure` cookie set over plain HTTP
 * (except on localhost), so a phone voting at http://192.168.x.y:3000 would lose its voter and
 * every vote would fail: production alone does not mean HTTPS.
 */
export function voterCookieSecure(
  headers: HeaderReader,
  settings: { forced?: boolean; publicOrigin?: string; trustProxy: number },
): boolean {
  return settings.forced ?? servedOverHttps(headers, settings);
}

/** The Set-Cookie value for a voter: signed, httpOnly, SameSite=Lax, Secure over HTTPS. */
export function voterSetCookie(voterId: string, headers: HeaderReader): string {
  const e = env();
  const secure = voterCookieSecure(headers, {
    forced: e.COOKIE_SECURE,
    publicOrigin: e.publicOrigin,
    trustProxy: e.TRUST_PROXY,
  });
  return `${VOTER_COOKIE}=${signVoterId(voterId, authSecret())}; Path=/; Max-Age=${VOTER_COOKIE_MAX_AGE}; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
}

export function setVoterCookie(response: NextResponse, voterId: string, headers: Headers): void {
  response.headers.append("Set-Cookie", voterSetCookie(voterId, headers));
}

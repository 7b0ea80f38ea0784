/** The voter cookie over HTTP: the voter a request's cookie names, and the Set-Cookie that names one. */
import type { NextResponse } from "next/server";
import {
  signVoterId,
  VOTER_COOKIE,
  VOTER_COOKIE_MAX_AGE,
  verifyVoterCookie,
} from "@/lib/arena/voter-id";
import { authSecret, env } from "@/lib/env";

export function voterFromCookie(value: string | undefined): string | null {
  return verifyVoterCookie(value, authSecret());
}

/** The Set-Cookie value for a voter: signed, httpOnly, SameSite=Lax, Secure in production. */
export function voterSetCookie(voterId: string): string {
  const secure = env().cookieSecure ? "; Secure" : "";
  return `${VOTER_COOKIE}=${signVoterId(voterId, authSecret())}; Path=/; Max-Age=${VOTER_COOKIE_MAX_AGE}; HttpOnly; SameSite=Lax${secure}`;
}

export function setVoterCookie(response: NextResponse, voterId: string): void {
  response.headers.append("Set-Cookie", voterSetCookie(voterId));
}

import type { NextRequest, NextResponse } from "next/server";
import {
  newVoterId,
  signVoterId,
  VOTER_COOKIE,
  VOTER_COOKIE_MAX_AGE,
  verifyVoterCookie,
} from "@/lib/arena/voter";
import { authSecret, env } from "@/lib/env";

export interface RequestVoter {
  id: string;
  /** True when this request had no valid voter cookie and one must be set on the response. */
  isNew: boolean;
}

export function voterFromCookie(value: string | undefined): string | null {
  return verifyVoterCookie(value, authSecret());
}

/** The request's voter, or a new anonymous one when the cookie is missing or forged. */
export function voterFromRequest(request: NextRequest): RequestVoter {
  const id = voterFromCookie(request.cookies.get(VOTER_COOKIE)?.value);
  return id ? { id, isNew: false } : { id: newVoterId(), isNew: true };
}

/** The Set-Cookie value for a voter: signed, httpOnly, SameSite=Lax, Secure in production. */
export function voterSetCookie(voterId: string): string {
  const secure = env().cookieSecure ? "; Secure" : "";
  return `${VOTER_COOKIE}=${signVoterId(voterId, authSecret())}; Path=/; Max-Age=${VOTER_COOKIE_MAX_AGE}; HttpOnly; SameSite=Lax${secure}`;
}

export function setVoterCookie(response: NextResponse, voterId: string): void {
  response.headers.append("Set-Cookie", voterSetCookie(voterId));
}

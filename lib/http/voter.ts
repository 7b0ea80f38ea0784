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

export function setVoterCookie(response: NextResponse, voterId: string): void {
  response.cookies.set(VOTER_COOKIE, signVoterId(voterId, authSecret()), {
    httpOnly: true,
    sameSite: "lax",
    secure: env().cookieSecure,
    path: "/",
    maxAge: VOTER_COOKIE_MAX_AGE,
  });
}

/** Anonymous voter ids and the signed value of their cookie: pure, no HTTP and no database. */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export const VOTER_COOKIE = "arena_voter";
/** A voter id lives a year; clearing cookies makes a new anonymous voter. */
export const VOTER_COOKIE_MAX_AGE = 60 * 60 * 24 * 365;

export function newVoterId(): string {
  return randomBytes(16).toString("base64url");
}

function mac(id: string, secret: string): string {
  return createHmac("sha256", secret).update(`voter:${id}`).digest("base64url");
}

/** `id.mac`: the id cannot be forged or swapped for another voter's without the secret. */
export function signVoterId(id: string, secret: string): string {
  return `${id}.${mac(id, secret)}`;
}

export function verifyVoterCookie(value: string | undefined, secret: string): string | null {
  if (!value) return null;
  const dot = value.indexOf(".");
  if (dot <= 0) return null;
  const id = value.slice(0, dot);
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(id)) return null;
  const given = Buffer.from(value.slice(dot + 1));
  const expected = Buffer.from(mac(id, secret));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return id;
}

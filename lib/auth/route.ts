import "server-only";
import type { NextApiRequest, NextApiResponse } from "next";
import type { NextRequest } from "next/server";
import NextAuth from "next-auth";
import { getDb } from "@/db";
import { authSecret } from "@/lib/env";
import { ArenaError, isArenaError } from "@/lib/errors";
import { clientIp } from "@/lib/http/limits";
import { requestOrigin } from "@/lib/http/origin";
import { readText } from "@/lib/http/respond";
import { authOptions } from "./options";
import { MAX_QUEUED, passwordChecksInFlight } from "./password";
import { sessionCookieName } from "./session-cookie";
import { beginSignInAttempt, signInSucceeded, throttleKeys } from "./throttle";

/** next-auth's bodies are a CSRF token, credentials and a callback URL: a few hundred bytes. */
export const AUTH_MAX_BODY = 16 * 1024;

/**
 * A refused password attempt is answered after this long. A 429 is cheap but not free (Next's
 * request pipeline, a database read): 16 guessing loops that each wait for their answer would
 * otherwise send hundreds a second and crowd out votes on the event loop; held for a second,
 * they send sixteen. A person who is locked out reads the same message a second later.
 */
export const REFUSAL_DELAY_MS = 1000;

async function refusedSlowly<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (isArenaError(e) && e.code === "rate_limited")
      await new Promise((resolve) => setTimeout(resolve, REFUSAL_DELAY_MS));
    throw e;
  }
}

/**
 * The form of request next-auth's Pages Router handler takes. It is the one form that uses the
 * headers it is handed (the App Router form reads next/headers itself), which is how next-auth
 * gets our origin instead of its http://localhost:3000 fallback.
 */
interface AuthRequest {
  method: string;
  headers: Record<string, string>;
  cookies: Record<string, string>;
  query: Record<string, string | string[]>;
  body?: Record<string, unknown>;
}

/** Collects what next-auth writes through the Pages Router response API, as a fetch Response. */
class ResponseRecorder {
  private statusCode = 200;
  private readonly headers = new Headers({ "Cache-Control": "no-store" });
  private body: string | null = null;

  status(code: number) {
    this.statusCode = code;
    return this;
  }
  getHeader(name: string) {
    return name.toLowerCase() === "set-cookie"
      ? this.headers.getSetCookie()
      : (this.headers.get(name) ?? undefined);
  }
  setHeader(name: string, value: string | number | readonly string[]) {
    if (typeof value === "object") {
      this.headers.delete(name);
      for (const v of value) this.headers.append(name, v);
    } else this.headers.set(name, String(value));
    return this;
  }
  json(value: unknown) {
    this.headers.set("Content-Type", "application/json");
    this.body = JSON.stringify(value);
    return this;
  }
  send(value: unknown) {
    if (typeof value === "string") this.body = value;
    else if (value !== undefined && value !== null) this.json(value);
    return this;
  }
  end() {
    return this;
  }
  response(): Response {
    return new Response(this.body, { status: this.statusCode, headers: this.headers });
  }
  /** True when the response sets a non-empty session cookie: a completed sign-in. */
  signedIn(): boolean {
    const name = sessionCookieName();
    return this.headers
      .getSetCookie()
      .some((c) => /^[^=]+=[^;]/.test(c) && (c.startsWith(`${name}=`) || c.startsWith(`${name}.`)));
  }
}

/** next-auth posts forms (urlencoded); JSON is accepted too. Other bodies mean nothing to it. */
function parseBody(type: string | null, text: string): Record<string, unknown> | undefined {
  const t = (type ?? "").toLowerCase();
  if (t.includes("application/x-www-form-urlencoded"))
    return Object.fromEntries(new URLSearchParams(text));
  if (t.includes("application/json") && text.trim() !== "") {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new ArenaError("invalid_request", "The request body is not valid JSON.");
    }
    if (typeof value !== "object" || value === null || Array.isArray(value))
      throw new ArenaError("invalid_request", "The request body must be a JSON object.");
    return value as Record<string, unknown>;
  }
  return undefined;
}

/**
 * The headers next-auth sees. It derives its base URL (OAuth callbacks, sign-out and every
 * redirect) from Host and X-Forwarded-Proto when AUTH_TRUST_HOST is set, else falls back to
 * http://localhost:3000. We always hand it the origin requestOrigin decided — the configured
 * public URL, or the Host the server received (X-Forwarded-* only behind TRUST_PROXY) — and
 * never a client's own X-Forwarded-Host, so trusting these headers is safe.
 */
function headersFor(request: Request, origin: string): Record<string, string> {
  const headers = Object.fromEntries(request.headers);
  const url = new URL(origin);
  delete headers["x-forwarded-host"];
  headers.host = url.host;
  headers["x-forwarded-proto"] = url.protocol.slice(0, -1);
  return headers;
}

async function runNextAuth(req: AuthRequest): Promise<ResponseRecorder> {
  // Makes next-auth read its origin from the headers above (which we computed), not fall back.
  process.env.AUTH_TRUST_HOST = "1";
  const res = new ResponseRecorder();
  await NextAuth(
    req as unknown as NextApiRequest,
    res as unknown as NextApiResponse,
    authOptions(),
  );
  return res;
}

/**
 * GET and POST /api/auth/*: next-auth, behind three guards of ours —
 * - a body cap (16 KB, 413), before anything reads the body;
 * - the origin next-auth builds its URLs from (see headersFor);
 * - for password sign-in, the per-account and per-address throttle (429 with Retry-After), and
 *   a refusal when too many password checks are already queued in this process, both answered
 *   a second late (REFUSAL_DELAY_MS).
 */
export async function authRoute(request: NextRequest, segments: string[]): Promise<Response> {
  const origin = requestOrigin(request.headers);
  if (!origin)
    throw new ArenaError(
      "invalid_request",
      "The request's Host header is not a host name. Set NEXTAUTH_URL to the arena's public URL.",
    );
  const method = request.method.toUpperCase();
  const body =
    method === "POST"
      ? parseBody(request.headers.get("content-type"), await readText(request, AUTH_MAX_BODY))
      : undefined;
  const req: AuthRequest = {
    method,
    headers: headersFor(request, origin),
    cookies: Object.fromEntries(request.cookies.getAll().map((c) => [c.name, c.value])),
    query: { ...Object.fromEntries(request.nextUrl.searchParams), nextauth: segments },
    body,
  };
  const passwordSignIn =
    method === "POST" && segments[0] === "callback" && segments[1] === "credentials";
  if (!passwordSignIn) return (await runNextAuth(req)).response();

  const email = typeof body?.email === "string" ? body.email : "";
  const keys = throttleKeys(email, clientIp(request), authSecret());
  const db = await getDb();
  await refusedSlowly(async () => {
    if (passwordChecksInFlight() >= MAX_QUEUED)
      throw new ArenaError(
        "rate_limited",
        "The server is busy checking other sign-ins. Try again in a few seconds.",
        { headers: { "Retry-After": "5" } },
      );
    await beginSignInAttempt(db, keys);
  });
  const res = await runNextAuth(req);
  if (res.signedIn()) await signInSucceeded(db, keys);
  return res.response();
}

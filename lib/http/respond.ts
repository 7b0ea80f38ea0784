import { NextResponse } from "next/server";
import { ArenaError, isArenaError } from "@/lib/errors";

const NO_STORE = { "Cache-Control": "no-store" };

/** The one mapping from an error to what the client sees: typed errors keep their status, others a bare 500. */
export function errorResult(e: unknown): {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
} {
  if (isArenaError(e)) {
    const body =
      e.details === undefined
        ? { error: e.message, code: e.code }
        : { error: e.message, code: e.code, details: e.details };
    return { status: e.status, body, headers: e.headers };
  }
  console.error(e);
  return {
    status: 500,
    body: { error: "Something went wrong on our side. Please try again.", code: "internal" },
  };
}

export function json(
  body: unknown,
  status = 200,
  headers: Record<string, string> = {},
): NextResponse {
  return NextResponse.json(body, { status, headers: { ...NO_STORE, ...headers } });
}

/** Typed errors keep their status, others become a bare 500 (see errorResult). */
export function errorResponse(e: unknown): NextResponse {
  const r = errorResult(e);
  return json(r.body, r.status, r.headers);
}

export async function handle(fn: () => Promise<Response> | Response): Promise<Response> {
  try {
    return await fn();
  } catch (e) {
    return errorResponse(e);
  }
}

/** For routes that take no body: a declared body larger than `maxBytes` is refused unread. */
export function refuseBody(request: Request, maxBytes: number): void {
  if (Number(request.headers.get("content-length") ?? "0") > maxBytes) {
    throw new ArenaError(
      "payload_too_large",
      `This endpoint takes no body larger than ${maxBytes} bytes.`,
    );
  }
}

/** The body as text, refused with 413 once it passes `maxBytes` (declared or actually sent). */
export async function readText(request: Request, maxBytes: number): Promise<string> {
  refuseBody(request, maxBytes);
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new ArenaError(
        "payload_too_large",
        `The request body is larger than ${maxBytes} bytes.`,
      );
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

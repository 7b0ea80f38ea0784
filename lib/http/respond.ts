import { NextResponse } from "next/server";
import type { z } from "zod";
import { ArenaError, isArenaError } from "@/lib/errors";

const NO_STORE = { "Cache-Control": "no-store" };

export function json(
  body: unknown,
  status = 200,
  headers: Record<string, string> = {},
): NextResponse {
  return NextResponse.json(body, { status, headers: { ...NO_STORE, ...headers } });
}

/** The one place an error becomes a response: typed errors keep their status, others become a bare 500. */
export function errorResponse(e: unknown): NextResponse {
  if (isArenaError(e)) {
    const body =
      e.details === undefined
        ? { error: e.message, code: e.code }
        : { error: e.message, code: e.code, details: e.details };
    return json(body, e.status, e.headers);
  }
  console.error(e);
  return json(
    { error: "Something went wrong on our side. Please try again.", code: "internal" },
    500,
  );
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

/**
 * Reads a JSON body no larger than `maxBytes` and validates it; anything else is a 4xx with
 * the field that is wrong, never a parse stack.
 */
export async function readJson<S extends z.ZodType>(
  request: Request,
  schema: S,
  maxBytes = 16 * 1024,
): Promise<z.infer<S>> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) {
    throw new ArenaError("payload_too_large", `The request body is larger than ${maxBytes} bytes.`);
  }
  const text = await readText(request, maxBytes);
  let value: unknown;
  try {
    value = text.trim() === "" ? undefined : JSON.parse(text);
  } catch {
    throw new ArenaError("invalid_request", "The request body is not valid JSON.");
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new ArenaError("invalid_request", "The request body is not what this endpoint takes.", {
      details: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    });
  }
  return parsed.data;
}

async function readText(request: Request, maxBytes: number): Promise<string> {
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

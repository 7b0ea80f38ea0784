/**
 * Input to pages (dynamic segments, query strings) is a visitor's to choose: a bad value is the
 * visitor's mistake, answered with the site's not-found page (404, in the site's layout), never
 * a 500. Next offers no 400 for pages, and a page whose address names nothing is not found.
 */
import { notFound } from "next/navigation";
import type { z } from "zod";
import { isArenaError } from "@/lib/errors";

/**
 * A dynamic segment as Next hands it over (still percent-encoded), decoded; bad encoding is a 404,
 * and so is a NUL (%00): no slug or category holds one, and PostgreSQL refuses it in a text
 * parameter (a 500 on /models/%00 there).
 */
export function decodeSegment(raw: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    notFound();
  }
  if (decoded.includes("\0")) notFound();
  return decoded;
}

type SearchParams = Record<string, string | string[] | undefined>;

/** The first value of each query parameter, as `URLSearchParams.get` would give it. */
export function firstValues(params: SearchParams): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]),
  );
}

/** The query parsed with `schema`; anything it refuses is a 404, and so is a NUL (see decodeSegment). */
export function pageQuery<S extends z.ZodType>(schema: S, params: SearchParams): z.output<S> {
  const values = firstValues(params);
  if (Object.values(values).some((v) => v?.includes("\0"))) notFound();
  const parsed = schema.safeParse(firstValues(params));
  if (!parsed.success) notFound();
  return parsed.data;
}

/** Runs `fn`, turning the visitor's mistakes it reports (400, 404) into the not-found page. */
export async function orNotFound<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (isArenaError(e) && (e.code === "invalid_request" || e.code === "not_found")) notFound();
    throw e;
  }
}

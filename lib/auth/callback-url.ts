/**
 * Where to send a browser after signing in (or out): only a path on this arena, never another
 * site. Used by the sign-in page, the sign-in form and next-auth's `redirect` callback, so every
 * place that takes a `callbackUrl` applies the same rule. No server-only imports: the client
 * form runs it too.
 */

// Stands in for the arena's origin when the caller does not know it (only paths pass then).
const PLACEHOLDER = "http://arena.invalid";

/**
 * Control characters and whitespace are dropped or reinterpreted by URL parsers ("/\t/evil" is
 * "//evil"), and browsers read a backslash as a slash ("/\evil" is "//evil"): a value with any
 * of them is refused outright rather than cleaned.
 */
function hasUnsafeChars(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f || c === 0x5c) return true;
  }
  return false;
}

/** A path that a browser (or a consumer that decodes it) would read as `//host`: another site. */
function leavesOrigin(path: string): boolean {
  let p = path;
  for (let i = 0; i < 4; i++) {
    if (/^[/\\]{2}/.test(p) || !p.startsWith("/")) return true;
    let next: string;
    try {
      next = decodeURIComponent(p);
    } catch {
      return true;
    }
    if (next === p) return false;
    p = next;
  }
  return true;
}

/**
 * `value` as a same-origin path (`/admin/models?x=1#y`), or `fallback`. Accepted: a path from
 * the root, or an absolute URL on `origin` itself (when the caller knows it). Refused: other
 * hosts, protocol-relative `//host`, `/\host`, their percent-encoded forms, other schemes,
 * relative paths, and anything over 2,048 characters.
 */
export function safeCallbackPath(
  value: unknown,
  opts: { origin?: string; fallback?: string } = {},
): string {
  const fallback = opts.fallback ?? "/admin";
  if (typeof value !== "string" || value === "" || value.length > 2048) return fallback;
  if (hasUnsafeChars(value)) return fallback;
  const base = opts.origin ?? PLACEHOLDER;
  let origin: string;
  let url: URL;
  try {
    origin = new URL(base).origin;
    url = new URL(value, origin);
  } catch {
    return fallback;
  }
  if (url.origin !== origin) return fallback;
  // Not a path: then it must spell out this very origin ("http:evil" would parse as relative).
  if (!value.startsWith("/") && !(opts.origin && `${value}/`.startsWith(`${origin}/`)))
    return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  return leavesOrigin(url.pathname) ? fallback : path;
}

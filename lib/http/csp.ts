/**
 * Scripts only from this origin and with this response's nonce ('strict-dynamic' lets those
 * load their own chunks); no plugins, no framing, no foreign form targets. Inline style
 * attributes stay allowed: KaTeX positions formulas with them, and styles cannot run code.
 */
export function contentSecurityPolicy(nonce: string, dev = false): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** The API answers JSON and CSV only: nothing in a response may load or run anything. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/** Sent with every response, pages and API alike (next.config.ts and the fast path). */
export const SECURITY_HEADERS: Record<string, string> = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "X-Frame-Options": "DENY",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
};

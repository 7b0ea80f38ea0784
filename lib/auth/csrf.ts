import { ArenaError } from "@/lib/errors";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * The content types a page on another origin can send without a CORS preflight (a plain form
 * or a no-cors fetch): for these, the request must prove its origin with a matching Origin.
 */
const SIMPLE_TYPES = ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"];

function refuse(reason: string): never {
  throw new ArenaError(
    "cross_site_request",
    `Refused a cross-site request: ${reason}. Admin changes made with a session cookie must come from this arena's own pages; scripts should send Authorization: Bearer <ADMIN_TOKEN>.`,
  );
}

/**
 * Guards cookie-authenticated state changes against cross-site request forgery. A browser
 * attaches the session cookie to requests any page makes — including pages on the same site
 * (another port, a sibling subdomain), which SameSite=Lax does not stop — so a non-GET request
 * passes only when the browser itself vouches for it:
 * - `Sec-Fetch-Site`, when sent, must be `same-origin`;
 * - otherwise `Origin` must equal `ownOrigin` (older browsers send Origin but no fetch metadata);
 * - a CORS-simple body (text/plain, form encodings) needs a matching `Origin` in any case.
 * A request with neither header is refused: browsers send at least one on every POST, and
 * clients that are not browsers have the bearer token.
 */
export function assertSameOrigin(method: string, headers: Headers, ownOrigin: string | null): void {
  if (SAFE_METHODS.has(method.toUpperCase())) return;
  const site = headers.get("sec-fetch-site");
  const origin = headers.get("origin");
  const originMatches = origin !== null && ownOrigin !== null && origin === ownOrigin;
  if (site !== null && site !== "same-origin")
    refuse(`the browser says it came from a ${site} page (Sec-Fetch-Site: ${site})`);
  if (site === null && !originMatches)
    refuse(
      origin === null
        ? "it carries neither Origin nor Sec-Fetch-Site"
        : `its Origin ${origin} is not ${ownOrigin ?? "this arena's origin"}`,
    );
  const type = (headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (SIMPLE_TYPES.includes(type) && !originMatches)
    refuse(
      `a ${type} body needs an Origin equal to ${ownOrigin ?? "this arena's origin"} (set NEXTAUTH_URL when a proxy changes the host or scheme)`,
    );
}

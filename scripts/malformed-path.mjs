// A path whose percent-escapes do not decode (`/models/%E0%A4%A`, `/leaderboard/%C0%AF`, a lone
// `%`) makes Next's router fail to match its dynamic routes: it then looks for a pages-router
// `/400` page this app does not have and answers a bare 500. Such a segment is taken literally
// instead — its `%` escaped as `%25` — so the route gets the text as typed, finds nothing by that
// name, and answers with the site's not-found page (404, in the layout). Only the path Next sees
// changes; the browser keeps the address it asked for, as with any rewrite.

function decodes(text) {
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}

/** Rewrites `req.url` in place when its path has a malformed escape; returns whether it did. */
export function escapeMalformedPath(req) {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  const path = q < 0 ? url : url.slice(0, q);
  if (!path.includes("%") || decodes(path)) return false;
  const fixed = path
    .split("/")
    .map((segment) => (decodes(segment) ? segment : segment.replaceAll("%", "%25")))
    .join("/");
  req.url = fixed + (q < 0 ? "" : url.slice(q));
  return true;
}

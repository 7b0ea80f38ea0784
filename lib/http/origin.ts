import { env } from "@/lib/env";

export interface OriginSettings {
  /** The origin of NEXTAUTH_URL/AUTH_URL, when configured: then nothing is taken from the request. */
  publicOrigin?: string;
  /** Reverse proxies in front (TRUST_PROXY): only then are X-Forwarded-Host/-Proto believed. */
  trustProxy: number;
}

// A host as it may appear in a URL: a name or IPv4 address, or a bracketed IPv6 address, and a port.
const HOST =
  /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/** What these helpers read of a request: a fetch `Headers`, or an adapter over Node's headers. */
export type HeaderReader = Pick<Headers, "get">;

/** With N trusted proxies, the value the outermost of them set: the Nth entry from the right. */
function forwarded(headers: HeaderReader, name: string, hops: number): string | undefined {
  const list = (headers.get(name) ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return list[list.length - hops] ?? list[0];
}

/**
 * The origin browsers use to reach this arena (`https://arena.example.com`), or null when the
 * request does not say a usable one. The configured public URL wins; otherwise the Host header
 * the server received, over plain HTTP (scripts/server.mjs serves HTTP), unless TRUST_PROXY says
 * a proxy in front sets X-Forwarded-Host/-Proto. A client's own X-Forwarded-* are never believed
 * without it: they would let anyone pick the host next-auth sends browsers to.
 */
export function originFrom(headers: HeaderReader, settings: OriginSettings): string | null {
  if (settings.publicOrigin) return settings.publicOrigin;
  const proxied = settings.trustProxy > 0;
  const host =
    (proxied ? forwarded(headers, "x-forwarded-host", settings.trustProxy) : undefined) ??
    headers.get("host") ??
    "";
  const proto = proxied
    ? (forwarded(headers, "x-forwarded-proto", settings.trustProxy) ?? "http").toLowerCase()
    : "http";
  if (!HOST.test(host) || (proto !== "http" && proto !== "https")) return null;
  const url = `${proto}://${host}`;
  return URL.canParse(url) ? new URL(url).origin : null;
}

/**
 * True when the browser reached the arena over HTTPS: the configured public URL is https, or a
 * trusted proxy (TRUST_PROXY) says so in X-Forwarded-Proto. Otherwise the request came to
 * scripts/server.mjs over plain HTTP, whatever a client's own X-Forwarded-Proto claims.
 */
export function servedOverHttps(headers: HeaderReader, settings: OriginSettings): boolean {
  if (settings.publicOrigin) return settings.publicOrigin.startsWith("https:");
  if (settings.trustProxy <= 0) return false;
  return forwarded(headers, "x-forwarded-proto", settings.trustProxy)?.toLowerCase() === "https";
}

/** originFrom with the deployment's settings. */
export function requestOrigin(headers: HeaderReader): string | null {
  const e = env();
  return originFrom(headers, { publicOrigin: e.publicOrigin, trustProxy: e.TRUST_PROXY });
}

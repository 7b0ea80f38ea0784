import "server-only";
import { DEFAULT_LIMITS, type LimitedAction, RateLimiter } from "@/lib/arena/rate-limit";
import { admissionSettings, arenaSettings, authSecret, env } from "@/lib/env";
import { ArenaError } from "@/lib/errors";
import { addressGroup, addressKey } from "./address";

// One limiter per process, even though Next bundles this module twice (app routes, and the fast
// path loaded through instrumentation.ts): otherwise pages and API would count separately.
const LIMITER = Symbol.for("arena.rateLimiter");
const store = globalThis as { [LIMITER]?: RateLimiter };
store[LIMITER] ??= new RateLimiter();
const limiter = store[LIMITER];

const CLIENT_IP_TOKEN = Symbol.for("arena.clientIpToken");

/**
 * The client address set by scripts/server.mjs from the socket (or trusted proxies), believed
 * only next to the server's per-process token: a header the client sent itself, or any request
 * under `next dev` (no server.mjs), gives "unknown" — one shared bucket, never a free one.
 */
export function clientIp(request: { headers: Headers }): string {
  return clientIpFrom((name) => request.headers.get(name));
}

/** The same from any header source (Node's IncomingMessage on the fast path). */
export function clientIpFrom(header: (name: string) => string | string[] | null | undefined) {
  const token = (globalThis as { [CLIENT_IP_TOKEN]?: string })[CLIENT_IP_TOKEN];
  if (!token || header("x-arena-client-ip-token") !== token) return "unknown";
  const ip = header("x-arena-client-ip");
  return typeof ip === "string" && ip ? ip : "unknown";
}

/** The stored form of the client's address: a keyed digest of its group (IPv4, or IPv6 /64). */
export function clientAddress(ip: string): string {
  return addressKey(ip, authSecret());
}

function describe(windowMs: number): string {
  return windowMs >= 86_400_000 ? "day" : "minute";
}

/** Throws 429 with Retry-After when this voter or address is over a limit; nothing when ARENA_RATE_LIMIT=0. */
export function enforceRateLimit(action: LimitedAction, voterId: string, ip: string): void {
  if (!env().ARENA_RATE_LIMIT) return;
  const limits = DEFAULT_LIMITS[action];
  for (const [scope, key, list] of [
    ["voter", voterId, limits.voter],
    ["address", addressGroup(ip), limits.ip],
  ] as const) {
    const r = limiter.hit(`${action}:${scope}:${key}`, list);
    if (!r.ok) {
      const seconds = Math.max(1, Math.ceil(r.retryAfterMs / 1000));
      throw new ArenaError(
        "rate_limited",
        `Too many ${action === "vote" ? "votes" : "battles"} from this ${scope}: at most ${r.limit.max} per ${describe(r.limit.windowMs)}. Try again in ${seconds} s.`,
        { headers: { "Retry-After": String(seconds) } },
      );
    }
  }
}

export function openBattleCap(): number | undefined {
  return env().ARENA_RATE_LIMIT ? DEFAULT_LIMITS.openBattles : undefined;
}

/** The options every battle draw takes from the configuration (page and API alike). */
export function battleOptions() {
  const { identityWords, ttlMs } = arenaSettings();
  const max = openBattleCap();
  const a = admissionSettings();
  return {
    identityWords,
    openBattleCap: max === undefined ? undefined : { max, ttlMs },
    admission: a.limited
      ? {
          newVotersPerHour: a.newVotersPerHour,
          newVotersPerDay: a.newVotersPerDay,
          skipsPerHour: a.skipsPerHour,
        }
      : undefined,
  };
}

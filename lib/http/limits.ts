import "server-only";
import { getDb } from "@/db";
import { countRequest, type LimitedAction, OPEN_BATTLE_CAP } from "@/lib/arena/rate-limit";
import { admissionSettings, arenaSettings, authSecret, env, rateLimitSettings } from "@/lib/env";
import { addressKey } from "./address";

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

/**
 * Throws 429 with Retry-After when this voter or address (clientAddress) is over a limit; nothing when
 * ARENA_RATE_LIMIT=0. The counts are in the database, shared by every process on it.
 */
export function enforceRateLimit(action: LimitedAction, voterId: string, address: string): void {
  const limits = rateLimitSettings();
  if (!limits.limited) return;
  countRequest(getDb(), action, { voter: voterId, address }, limits);
}

export function openBattleCap(): number | undefined {
  return env().ARENA_RATE_LIMIT ? OPEN_BATTLE_CAP : undefined;
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

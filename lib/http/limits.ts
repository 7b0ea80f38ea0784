import "server-only";
import { getDb } from "@/db";
import {
  countRequest,
  type LimitedAction,
  type LimitedRequest,
  OPEN_BATTLE_CAP,
  RateLimited,
} from "@/lib/arena/rate-limit";
import { admissionSettings, arenaSettings, authSecret, env, rateLimitSettings } from "@/lib/env";
import { ArenaError } from "@/lib/errors";
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
 * What a battle or vote counts against (lib/arena/rate-limit.ts), for the transaction that draws
 * or records it to count it in the database; undefined when ARENA_RATE_LIMIT=0.
 */
export function limitedRequest(
  action: LimitedAction,
  voterId: string,
  address: string,
): LimitedRequest | undefined {
  const limits = rateLimitSettings();
  return limits.limited ? { action, voter: voterId, address, limits } : undefined;
}

/**
 * A request refused for another reason (404, 409, 410, another 429) counts all the same, as
 * every answered request does; its transaction rolled its count back, so it is counted again on
 * its own. Over a limit by now, the 429 replaces the other error, as when limits came first.
 */
export async function countFailedRequest(
  request: LimitedRequest | undefined,
  error: unknown,
): Promise<void> {
  if (!request || !(error instanceof ArenaError) || error instanceof RateLimited) return;
  await countRequest(await getDb(), request);
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

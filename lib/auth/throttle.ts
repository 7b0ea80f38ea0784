import { and, eq, gt, inArray, isNull, lt, or } from "drizzle-orm";
import type { ArenaDb } from "@/db/client";
import { lockKey } from "@/db/rows";
import { signInThrottle } from "@/db/schema";
import { ArenaError } from "@/lib/errors";
import { addressKey } from "@/lib/http/address";

/**
 * Failed sign-ins, counted per account and per client address in the database (so every
 * process shares them), with a lockout that doubles with each failure past the free ones.
 *
 * An attempt is counted *before* its password is checked and forgiven when it succeeds: then
 * 16 attempts sent at once cannot all slip in before the first failure is written, and a locked
 * key is refused without spending a bcrypt check on it.
 */
export interface ThrottlePolicy {
  /** Failures allowed before the first lockout. */
  free: number;
  /** The first lockout; each further failure doubles it. */
  baseMs: number;
  maxMs: number;
}

/**
 * Per account: a guesser spread over many addresses gets 5 tries, then waits 30 s, 1 min,
 * 2 min… up to 15 minutes between tries (about a hundred a day). Per address: 10 tries (an
 * office behind one NAT shares them), then the same doubling up to an hour. An admin who
 * mistypes five times waits half a minute.
 */
export const ACCOUNT_POLICY: ThrottlePolicy = { free: 5, baseMs: 30_000, maxMs: 15 * 60_000 };
export const ADDRESS_POLICY: ThrottlePolicy = { free: 10, baseMs: 30_000, maxMs: 60 * 60_000 };

/** A key with no failure for this long starts over. */
export const FORGET_AFTER_MS = 24 * 3600_000;

/** How long a key is locked after its `failures`-th failure. */
export function lockoutMs(failures: number, policy: ThrottlePolicy): number {
  if (failures < policy.free) return 0;
  const doublings = Math.min(failures - policy.free, 40);
  return Math.min(policy.maxMs, policy.baseMs * 2 ** doublings);
}

export interface ThrottleKeys {
  account: string;
  address: string;
}

/** The two keys of an attempt: the account as typed (lower-cased), the address as a keyed digest of its group. */
export function throttleKeys(email: string, ip: string, secret: string): ThrottleKeys {
  return {
    account: `account:${email.trim().toLowerCase().slice(0, 320)}`,
    address: `address:${addressKey(ip, secret)}`,
  };
}

function policyOf(key: string): ThrottlePolicy {
  return key.startsWith("account:") ? ACCOUNT_POLICY : ADDRESS_POLICY;
}

/**
 * Counts an attempt for both keys, or throws 429 with Retry-After when either is locked (then
 * nothing is counted). One transaction holding both keys' locks, so processes sharing the
 * database agree.
 */
export async function beginSignInAttempt(
  db: ArenaDb,
  keys: ThrottleKeys,
  now = Date.now(),
): Promise<void> {
  const list = [keys.account, keys.address];
  // A plain read first: a locked key (what a flood mostly sends) is refused without taking
  // the write lock. The transaction below checks again, for attempts that race this one.
  const locked = await db
    .select({ key: signInThrottle.key, lockedUntil: signInThrottle.lockedUntil })
    .from(signInThrottle)
    .where(and(inArray(signInThrottle.key, list), gt(signInThrottle.lockedUntil, new Date(now))));
  for (const key of list) {
    const row = locked.find((r) => r.key === key);
    if (row?.lockedUntil) throw lockedError(key, row.lockedUntil.getTime() - now);
  }
  await db.transaction(async (tx) => {
    // Both counts are locked across processes, always in the same (sorted) order so that two
    // attempts sharing a key never deadlock.
    for (const key of [...list].sort()) await lockKey(tx, `sign-in-throttle:${key}`);
    const rows = await tx.select().from(signInThrottle).where(inArray(signInThrottle.key, list));
    const byKey = new Map(rows.map((r) => [r.key, r]));
    for (const key of list) {
      const until = byKey.get(key)?.lockedUntil?.getTime() ?? 0;
      if (until > now) throw lockedError(key, until - now);
    }
    for (const key of list) {
      const row = byKey.get(key);
      const stale = !row || now - row.updatedAt.getTime() > FORGET_AFTER_MS;
      const failures = (stale ? 0 : row.failures) + 1;
      const lock = lockoutMs(failures, policyOf(key));
      const values = {
        failures,
        lockedUntil: lock > 0 ? new Date(now + lock) : null,
        updatedAt: new Date(now),
      };
      await tx
        .insert(signInThrottle)
        .values({ key, ...values })
        .onConflictDoUpdate({ target: signInThrottle.key, set: values });
    }
  });
  // Now and then, forget keys nobody failed on for a day, so random emails cannot grow the table.
  if (Math.random() < 0.01) await forgetStale(db, now);
}

/** A correct password: both keys start over. */
export async function signInSucceeded(db: ArenaDb, keys: ThrottleKeys): Promise<void> {
  await db.delete(signInThrottle).where(inArray(signInThrottle.key, [keys.account, keys.address]));
}

/** Lifts an account's lockout (an operator reset its password). */
export async function clearAccountThrottle(db: ArenaDb, email: string): Promise<void> {
  await db
    .delete(signInThrottle)
    .where(eq(signInThrottle.key, `account:${email.trim().toLowerCase()}`));
}

export async function forgetStale(db: ArenaDb, now = Date.now()): Promise<void> {
  await db
    .delete(signInThrottle)
    .where(
      and(
        lt(signInThrottle.updatedAt, new Date(now - FORGET_AFTER_MS)),
        or(isNull(signInThrottle.lockedUntil), lt(signInThrottle.lockedUntil, new Date(now))),
      ),
    );
}

function lockedError(key: string, remainingMs: number): ArenaError {
  const seconds = Math.max(1, Math.ceil(remainingMs / 1000));
  const wait = seconds < 120 ? `${seconds} s` : `${Math.ceil(seconds / 60)} minutes`;
  const message = key.startsWith("account:")
    ? `Too many failed sign-ins for this account. Try again in ${wait}, or ask an operator to reset its password (\`npm run arena -- create-admin\`), which lifts the lock.`
    : `Too many failed sign-ins from your network address. Try again in ${wait}.`;
  return new ArenaError("rate_limited", message, {
    headers: { "Retry-After": String(seconds) },
    details: { retryAfter: seconds },
  });
}

import { and, eq, lte, sql } from "drizzle-orm";
import { type ArenaDb, databaseKey } from "@/db/client";
import { changes } from "@/db/rows";
import { rateWindows } from "@/db/schema";
import { ArenaError } from "@/lib/errors";
import { prepared } from "./prepared";

/**
 * Fixed-window counters in the database, so every process and thread on one database shares
 * them: a voter cannot multiply a limit by the number of app processes. A window starts with
 * the first request after the previous one ended. One request costs one upsert of all its
 * windows, in the transaction that draws the battle or records the vote (no commit of its own);
 * a refused request counts nothing in any of them.
 */
export interface Limit {
  max: number;
  windowMs: number;
}

export type LimitedAction = "battle" | "vote";
export type LimitScope = "voter" | "address";

/** One key's windows: e.g. a voter's per-minute and per-day limits on votes. */
export interface Bucket {
  action: LimitedAction;
  scope: LimitScope;
  key: string;
  limits: readonly Limit[];
}

export type LimitResult =
  | { ok: true }
  | { ok: false; retryAfterMs: number; limit: Limit; bucket: Bucket };

/** The limits of one action, per voter and per address (lib/env.ts's rateLimitSettings). */
export interface ActionLimits {
  voter: readonly Limit[];
  address: readonly Limit[];
}

/** Expired windows are deleted at most this often per connection, never on every request. */
export const SWEEP_INTERVAL_MS = 60_000;

const p = sql.placeholder;
// Qualified, because PostgreSQL's DO UPDATE sees both the stored row and `excluded`.
const stored = (column: string) => sql.raw(`"rate_windows"."${column}"`);
const proposed = (column: string) => sql.raw(`excluded."${column}"`);

/**
 * One statement for `n` windows: a new window is inserted with count 1; a stored one is reset
 * when it has ended, counted when under its limit, and left alone when full. Fewer rows changed
 * than windows asked for means refused. (RETURNING would name them, but doubled the cost.)
 */
function upsert(db: ArenaDb, n: number) {
  return prepared(db, `rate-limit:${n}`, () => {
    const rows = Array.from({ length: n }, (_, i) => ({
      action: p(`action${i}`),
      scope: p(`scope${i}`),
      key: p(`key${i}`),
      windowMs: p(`windowMs${i}`),
      maxCount: p(`maxCount${i}`),
      count: 1,
      resetAt: p(`resetAt${i}`),
    }));
    const ended = sql`${stored("reset_at")} <= ${p("now")}`;
    return db
      .insert(rateWindows)
      .values(rows)
      .onConflictDoUpdate({
        target: [rateWindows.action, rateWindows.scope, rateWindows.key, rateWindows.windowMs],
        set: {
          count: sql`case when ${ended} then 1 else ${stored("count")} + 1 end`,
          resetAt: sql`case when ${ended} then ${proposed("reset_at")} else ${stored("reset_at")} end`,
          maxCount: sql`${proposed("max_count")}`,
        },
        setWhere: sql`${ended} or ${stored("count")} < ${proposed("max_count")}`,
      })
      .prepare();
  });
}

function statements(db: ArenaDb) {
  return prepared(db, "rate-limit", () => ({
    window: db
      .select({ count: rateWindows.count, resetAt: rateWindows.resetAt })
      .from(rateWindows)
      .where(
        and(
          eq(rateWindows.action, p("action")),
          eq(rateWindows.scope, p("scope")),
          eq(rateWindows.key, p("key")),
          eq(rateWindows.windowMs, p("windowMs")),
        ),
      )
      .prepare(),
    sweep: db
      .delete(rateWindows)
      .where(lte(rateWindows.resetAt, p("now")))
      .prepare(),
  }));
}

/** A battle or vote over its voter's or address's limit: 429, with Retry-After. */
export class RateLimited extends ArenaError {
  constructor(message: string, retryAfterMs: number) {
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    super("rate_limited", `${message} Try again in ${seconds} s.`, {
      headers: { "Retry-After": String(seconds) },
    });
  }

  static of(action: LimitedAction, r: LimitResult & { ok: false }): RateLimited {
    return new RateLimited(
      `Too many ${action === "vote" ? "votes" : "battles"} from this ${r.bucket.scope}: at most ${r.limit.max} per ${describe(r.limit.windowMs)}.`,
      r.retryAfterMs,
    );
  }
}

/** Thrown inside the counting transaction, to roll it back; explained once it has (settle). */
class OverLimit extends RateLimited {
  constructor() {
    super("Too many requests.", 1000);
  }
}

function describe(windowMs: number): string {
  return windowMs >= 86_400_000 ? "day" : "minute";
}

const lastSweep = new WeakMap<object, number>();

/**
 * Counts one request against every window of every bucket, inside the caller's transaction
 * `tx`. False when refused, having counted some of the windows: the caller must roll back. The
 * upsert needs no lock of its own on PostgreSQL either: a conflicting insert waits for the row,
 * then re-checks its condition against the committed count, and every request writes its
 * windows in the same order (voter, then address), so two cannot deadlock.
 */
async function countWindows(
  tx: ArenaDb,
  buckets: readonly Bucket[],
  now: number,
): Promise<boolean> {
  const windows = buckets.flatMap((bucket) => bucket.limits.map((limit) => ({ bucket, limit })));
  const params: Record<string, string | number> = { now };
  windows.forEach(({ bucket, limit }, i) => {
    params[`action${i}`] = bucket.action;
    params[`scope${i}`] = bucket.scope;
    params[`key${i}`] = bucket.key;
    params[`windowMs${i}`] = limit.windowMs;
    params[`maxCount${i}`] = limit.max;
    params[`resetAt${i}`] = now + limit.windowMs;
  });
  return changes(await upsert(tx, windows.length).execute(params)) === windows.length;
}

/**
 * After the request's transaction, not inside it: the sweep deletes many rows in no particular
 * order, and inside a vote's transaction two processes sweeping at once could deadlock.
 */
async function sweepIfDue(db: ArenaDb, now: number): Promise<void> {
  if (now - (lastSweep.get(databaseKey(db)) ?? 0) >= SWEEP_INTERVAL_MS)
    await sweepRateWindows(db, now);
}

/**
 * Why a request was refused, read after its transaction rolled back (so every window is as the
 * request found it): the first full window, in the order given.
 */
async function fullWindow(
  db: ArenaDb,
  buckets: readonly Bucket[],
  now: number,
): Promise<LimitResult & { ok: false }> {
  for (const bucket of buckets) {
    const { action, scope, key } = bucket;
    for (const limit of bucket.limits) {
      const [w] = await statements(db).window.execute({
        action,
        scope,
        key,
        windowMs: limit.windowMs,
      });
      if (w && w.resetAt > now && w.count >= limit.max) {
        return { ok: false, retryAfterMs: w.resetAt - now, limit, bucket };
      }
    }
  }
  // Freed since (another process's window ended): a second's wait is the honest answer.
  const bucket = buckets[0] as Bucket;
  return { ok: false, retryAfterMs: 1000, limit: bucket.limits[0] as Limit, bucket };
}

/**
 * Counts one request against every window of every bucket in a transaction of its own, or
 * refuses it, counting nothing, when any window is full; the first full one, in the order
 * given, is the one reported.
 */
export async function hitLimits(
  db: ArenaDb,
  buckets: readonly Bucket[],
  now = Date.now(),
): Promise<LimitResult> {
  try {
    await db.transaction(async (tx) => {
      if (!(await countWindows(tx, buckets, now))) throw new OverLimit();
    });
  } catch (e) {
    if (e instanceof OverLimit) return await fullWindow(db, buckets, now);
    throw e;
  }
  await sweepIfDue(db, now);
  return { ok: true };
}

/** Deletes the windows that have ended (a missing window and an ended one mean the same). */
export async function sweepRateWindows(db: ArenaDb, now = Date.now()): Promise<number> {
  lastSweep.set(databaseKey(db), now);
  return changes(await statements(db).sweep.execute({ now }));
}

/** Unvoted, unexpired battles a voter may hold; past it they get their latest one back. */
export const OPEN_BATTLE_CAP = 10;

/** A battle or vote to count: who makes it, from where (the address's keyed digest), under which limits. */
export interface LimitedRequest {
  action: LimitedAction;
  voter: string;
  address: string;
  limits: ActionLimits;
}

function bucketsOf(r: LimitedRequest): Bucket[] {
  return [
    { action: r.action, scope: "voter", key: r.voter, limits: r.limits.voter },
    { action: r.action, scope: "address", key: r.address, limits: r.limits.address },
  ];
}

/**
 * Counts a battle or vote inside the transaction `tx` that draws or records it (one commit for
 * both), or throws, so that the rollback takes the windows it counted with it. That
 * transaction runs inside `settle`, which tells the client which limit it reached.
 */
export async function chargeRequest(
  tx: ArenaDb,
  request: LimitedRequest,
  now = Date.now(),
): Promise<void> {
  if (!(await countWindows(tx, bucketsOf(request), now))) throw new OverLimit();
}

/** Runs a transaction that calls chargeRequest: a refusal, once rolled back, is explained (429). */
export async function settle<T>(
  db: ArenaDb,
  request: LimitedRequest | undefined,
  now: number,
  transaction: () => Promise<T>,
): Promise<T> {
  try {
    const result = await transaction();
    if (request) await sweepIfDue(db, now);
    return result;
  } catch (e) {
    if (request && e instanceof OverLimit) {
      throw RateLimited.of(request.action, await fullWindow(db, bucketsOf(request), now));
    }
    throw e;
  }
}

/**
 * The same in a transaction of its own: for a request whose own transaction failed (and so
 * rolled back its count) but that still counts, as every answered request does.
 */
export async function countRequest(
  db: ArenaDb,
  request: LimitedRequest,
  now = Date.now(),
): Promise<void> {
  const r = await hitLimits(db, bucketsOf(request), now);
  if (!r.ok) throw RateLimited.of(request.action, r);
}

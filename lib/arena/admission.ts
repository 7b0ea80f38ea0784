import { and, count, eq, gt, isNull, min, sql } from "drizzle-orm";
import type { ArenaDb } from "@/db/client";
import { lockKey } from "@/db/rows";
import { battles, voters } from "@/db/schema";
import { ArenaError } from "@/lib/errors";
import { prepared } from "./prepared";

/**
 * What a fresh identity and a skipped battle cost. A client that drops its cookie gets a new
 * voter, and with it fresh per-voter limits and a clean record; so new voters are counted per
 * address, and so are battles drawn and left unvoted (skipping every battle that lacks a
 * favourite is how a promoter votes selectively). Both counts are read from the database, so
 * they hold across processes and restarts; each is read in the transaction that then records the
 * voter or the battle, under a lock on the address (lockKey), so that concurrent requests from
 * one address cannot all pass the same count.
 */
export interface AdmissionLimits {
  newVotersPerHour: number;
  newVotersPerDay: number;
  /** Unvoted battles drawn in the last hour, per address. */
  skipsPerHour: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const p = sql.placeholder;

function statements(db: ArenaDb) {
  return prepared(db, "admission", () => ({
    votersSince: db
      .select({ n: count(), oldest: min(voters.createdAt) })
      .from(voters)
      .where(and(eq(voters.address, p("address")), gt(voters.createdAt, p("since"))))
      .prepare(),
    insertVoter: db
      .insert(voters)
      .values({ id: p("id"), address: p("address"), createdAt: sql`${p("createdAt")}` })
      .onConflictDoNothing()
      .prepare(),
    openSince: db
      .select({ n: count(), oldest: min(battles.createdAt) })
      .from(battles)
      .where(
        and(
          eq(battles.address, p("address")),
          gt(battles.createdAt, p("since")),
          isNull(battles.winner),
        ),
      )
      .prepare(),
  }));
}

function refuse(message: string, oldest: Date | null, windowMs: number, now: number): never {
  const freeAt = (oldest?.getTime() ?? now) + windowMs;
  const seconds = Math.max(1, Math.ceil((freeAt - now) / 1000));
  throw new ArenaError("rate_limited", `${message} Try again in ${describe(seconds)}.`, {
    headers: { "Retry-After": String(seconds) },
  });
}

function describe(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.ceil(seconds / 60)} minutes`;
  return `${Math.ceil(seconds / 3600)} hours`;
}

/** The lock the counts of one address are read under, until the transaction `tx` ends. */
function lockAddress(tx: ArenaDb, address: string): Promise<void> {
  return lockKey(tx, `admission:${address}`);
}

/**
 * Refuses (429) when the address has made its share of new voters this hour or day. `tx` is the
 * transaction that records the voter.
 */
export async function checkNewVoterAllowed(
  tx: ArenaDb,
  address: string,
  limits: AdmissionLimits,
  now = Date.now(),
): Promise<void> {
  await lockAddress(tx, address);
  const s = statements(tx);
  for (const [windowMs, max, span] of [
    [HOUR, limits.newVotersPerHour, "hour"],
    [DAY, limits.newVotersPerDay, "day"],
  ] as const) {
    const [r] = await s.votersSince.execute({ address, since: now - windowMs });
    if ((r?.n ?? 0) >= max) {
      refuse(
        `Too many new voters from this network: at most ${max} per ${span}. Keep your cookies to keep voting as yourself.`,
        r?.oldest ?? null,
        windowMs,
        now,
      );
    }
  }
}

/** Records a new voter and the address group it came from (run with the voter's first battle). */
export async function recordVoter(
  db: ArenaDb,
  voterId: string,
  address: string | null,
  now = Date.now(),
): Promise<void> {
  await statements(db).insertVoter.execute({ id: voterId, address, createdAt: now });
}

/**
 * Refuses (429) a new draw while the address holds too many battles it drew and left unvoted.
 * `tx` is the transaction that records the battle.
 */
export async function checkSkipsAllowed(
  tx: ArenaDb,
  address: string,
  limits: AdmissionLimits,
  now = Date.now(),
): Promise<void> {
  await lockAddress(tx, address);
  const [r] = await statements(tx).openSince.execute({ address, since: now - HOUR });
  if ((r?.n ?? 0) >= limits.skipsPerHour) {
    refuse(
      `Too many battles left without a vote from this network: at most ${limits.skipsPerHour} per hour. Vote on the battle you have, or wait.`,
      r?.oldest ?? null,
      HOUR,
      now,
    );
  }
}

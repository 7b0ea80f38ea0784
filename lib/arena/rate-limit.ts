/**
 * Fixed-window counters in memory: cheap enough to sit in front of every battle and vote.
 * Per process, so a deployment with several processes multiplies the limits by their number;
 * one process is the norm for a SQLite deployment.
 */
export interface Limit {
  max: number;
  windowMs: number;
}

export type LimitResult = { ok: true } | { ok: false; retryAfterMs: number; limit: Limit };

export class RateLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  private hits = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Counts one request against every limit of `key`; refused if any is exhausted (and then counts nothing). */
  hit(key: string, limits: readonly Limit[]): LimitResult {
    const t = this.now();
    if (++this.hits % 10_000 === 0) this.sweep(t);
    const entries = limits.map((limit) => {
      const id = `${key}\u0000${limit.windowMs}`;
      let w = this.windows.get(id);
      if (!w || w.resetAt <= t) {
        w = { count: 0, resetAt: t + limit.windowMs };
        this.windows.set(id, w);
      }
      return { limit, w };
    });
    const over = entries.find(({ limit, w }) => w.count >= limit.max);
    if (over) return { ok: false, retryAfterMs: over.w.resetAt - t, limit: over.limit };
    for (const { w } of entries) w.count++;
    return { ok: true };
  }

  private sweep(t: number): void {
    for (const [id, w] of this.windows) if (w.resetAt <= t) this.windows.delete(id);
  }
}

const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * Defaults sized for people: a careful voter reads two answers per vote, so 30 a minute is
 * already fast; an address may be shared by a whole office behind NAT, hence the larger
 * per-IP numbers.
 */
const PER_ACTION = {
  voter: [
    { max: 30, windowMs: MINUTE },
    { max: 2_000, windowMs: DAY },
  ],
  ip: [
    { max: 300, windowMs: MINUTE },
    { max: 20_000, windowMs: DAY },
  ],
} as const;

export const DEFAULT_LIMITS = {
  battle: PER_ACTION,
  vote: PER_ACTION,
  /** Unvoted, unexpired battles a voter may hold; past it they get their latest one back. */
  openBattles: 10,
} as const;

export type LimitedAction = "battle" | "vote";

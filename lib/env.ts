import { z } from "zod";

const flag = z
  .enum(["1", "0", "true", "false", "yes", "no", "on", "off"])
  .transform((v) => ["1", "true", "yes", "on"].includes(v));

/**
 * The public address of the arena, as browsers reach it: an http(s) origin, optionally followed
 * by next-auth's own path /api/auth. The app is served at the root of its origin, so any other
 * path would send OAuth callbacks and sign-out to a page that does not exist.
 */
const publicUrl = z
  .url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" })
  .refine(
    (v) => {
      const u = URL.canParse(v) ? new URL(v) : undefined;
      return (
        !!u &&
        ["/", "/api/auth", "/api/auth/"].includes(u.pathname) &&
        !u.search &&
        !u.hash &&
        !u.username &&
        !u.password
      );
    },
    {
      error:
        "must be the arena's origin, e.g. https://arena.example.com (no path, query or credentials)",
    },
  );

/** `1`/`true`: one proxy in front; a number: that many; unset/`0`/`false`: none (as scripts/server.mjs reads it). */
const proxyHops = z
  .string()
  .regex(/^(true|false|\d+)$/, "must be true, false or a number of proxies")
  .transform((v) => (v === "true" ? 1 : v === "false" ? 0 : Number(v)));

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.string().min(1).default("file:./data/arena.db"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  AUTH_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
  NEXTAUTH_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
  /** Seconds a battle stays open for its vote. */
  BATTLE_TTL_SECONDS: z.coerce.number().int().min(10).default(3600),
  /** Models with fewer votes are marked provisional on the leaderboard. */
  LEADERBOARD_MIN_VOTES: z.coerce.number().int().min(0).default(100),
  LEADERBOARD_BOOTSTRAP_ROUNDS: z.coerce.number().int().min(10).max(100_000).default(1000),
  /** A leaderboard at most this old is served while new votes arrive; one fit per interval under load. */
  LEADERBOARD_MAX_STALENESS_MS: z.coerce.number().int().min(0).default(1000),
  /**
   * The leaderboard's default view: LMArena's reweighted fit with sandwich intervals (each vote
   * weighs 1/max(n_pair, 50)) instead of the plain fit with bootstrap intervals.
   */
  LEADERBOARD_REWEIGHT: flag.default(false),
  /** Extra words (comma-separated) that make a battle an identity leak, on top of FastChat's list and the model names. */
  IDENTITY_WORDS: z
    .string()
    .default("")
    .transform((v) =>
      v
        .split(",")
        .map((w) => w.trim())
        .filter(Boolean),
    ),
  /** Rate limits and the open-battle cap; 0 turns them off (private deployments, load tests). */
  ARENA_RATE_LIMIT: flag.default(true),
  /**
   * Battles, and votes, one voter may make per minute and per day (each counted apart). A careful
   * voter reads two answers per vote, so 30 a minute is already fast.
   */
  ARENA_VOTER_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  ARENA_VOTER_PER_DAY: z.coerce.number().int().min(1).default(2000),
  /** The same per address (IPv4, or IPv6 /64): larger, as a whole office may share one behind NAT. */
  ARENA_ADDRESS_PER_MINUTE: z.coerce.number().int().min(1).default(300),
  ARENA_ADDRESS_PER_DAY: z.coerce.number().int().min(1).default(20_000),
  /** New voter ids one address (IPv4, or IPv6 /64) may create per hour and per day. */
  ARENA_NEW_VOTERS_PER_HOUR: z.coerce.number().int().min(1).default(30),
  ARENA_NEW_VOTERS_PER_DAY: z.coerce.number().int().min(1).default(200),
  /** Battles drawn in the last hour and left without a vote that one address may hold. */
  ARENA_SKIPS_PER_HOUR: z.coerce.number().int().min(1).default(60),
  /** A proof-of-work step before a new voter is created (public deployments). */
  ARENA_VOTER_CHALLENGE: flag.default(false),
  /** The challenge's work: the solver tries on average half this many PBKDF2 keys (see README). */
  ARENA_VOTER_CHALLENGE_WORK: z.coerce.number().int().min(1).max(10_000_000).default(2000),
  /** Voters and addresses the anomaly check flags stop counting on their own (admins can undo it). */
  ARENA_AUTO_EXCLUDE: flag.default(true),
  /** Family-wise level of the anomaly check, per voter or address (see README). */
  ARENA_ANOMALY_ALPHA: z.coerce.number().gt(0).lt(0.5).default(0.02),
  /** How often (at most) the anomaly check runs while votes arrive. */
  ARENA_ANOMALY_INTERVAL_MS: z.coerce.number().int().min(100).default(5000),
  /** Largest file the admin import accepts. */
  IMPORT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(200 * 1024 * 1024),
  /**
   * Largest prompt or response (any one text field of a record) an import accepts, in UTF-8
   * bytes. Every imported text is rendered as markdown on each page that draws it, and markdown
   * parsing is not linear on every input, so one huge text must not get in.
   */
  IMPORT_MAX_TEXT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(16 * 1024 * 1024)
    .default(64 * 1024),
  /** Load the shipped demo set into an empty database. */
  ARENA_DEMO_DATA: flag.default(true),
  /**
   * SQLite's `synchronous`: `normal` (WAL: a commit survives any crash of the process) or `full`
   * (also a power cut, at about a third of the vote throughput; see db/client.ts).
   */
  ARENA_DB_SYNC: z
    .enum(["normal", "full"], { error: 'must be "normal" or "full"' })
    .default("normal"),
  /** scripts/server.mjs answers the battle and vote endpoints itself; 0 sends them through Next. */
  ARENA_FAST_PATH: flag.default(true),
  /**
   * Each server process runs a fit worker thread; one per deployment (a lease in the database)
   * computes the leaderboards and publishes snapshots that requests serve. 0: no worker, a
   * request refits a stale leaderboard itself (small arenas, debugging).
   */
  ARENA_FIT_WORKER: flag.default(true),
  /** How long an admin stays signed in. */
  ADMIN_SESSION_HOURS: z.coerce
    .number()
    .min(0.01)
    .max(24 * 90)
    .default(12),
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_PASSWORD: z.string().min(12, "must be at least 12 characters").optional(),
  /** Bearer token accepted on the admin API, for automation. */
  ADMIN_TOKEN: z.string().min(24, "must be at least 24 characters").optional(),
  /** The arena's public URL; next-auth's base for OAuth callbacks and sign-out, the origin CSRF checks compare to. */
  NEXTAUTH_URL: publicUrl.optional(),
  /** Same as NEXTAUTH_URL (Auth.js's newer name); NEXTAUTH_URL wins when both are set. */
  AUTH_URL: publicUrl.optional(),
  /** Reverse proxies in front of the app: only then are X-Forwarded-For/-Host/-Proto believed. */
  TRUST_PROXY: proxyHops.default(0),
  GITHUB_ID: z.string().optional(),
  GITHUB_SECRET: z.string().optional(),
  GOOGLE_CLIENT_ID: z.string().optional(),
  GOOGLE_CLIENT_SECRET: z.string().optional(),
  /** Voter cookie gets `Secure`; defaults to on in production. */
  COOKIE_SECURE: flag.optional(),
});

export type Env = z.infer<typeof schema> & {
  cookieSecure: boolean;
  /** The origin (`https://host[:port]`) of NEXTAUTH_URL or AUTH_URL, when one is set. */
  publicOrigin?: string;
};

let cached: Env | undefined;

/** Validated once, on first use, so a misconfiguration fails with the variable's name. */
export function env(): Env {
  if (cached) return cached;
  // An empty variable means unset: `ADMIN_TOKEN=` in a .env file must not fail validation.
  const given = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== ""));
  const parsed = schema.safeParse(given);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const configured = e.NEXTAUTH_URL ?? e.AUTH_URL;
  cached = {
    ...e,
    cookieSecure: e.COOKIE_SECURE ?? e.NODE_ENV === "production",
    publicOrigin: configured ? new URL(configured).origin : undefined,
  };
  return cached;
}

/** The key that signs voter cookies and sessions. Asked for only where it is used. */
export function authSecret(): string {
  const e = env();
  const secret = e.AUTH_SECRET ?? e.NEXTAUTH_SECRET;
  if (secret) return secret;
  if (e.NODE_ENV === "production") {
    throw new Error(
      "AUTH_SECRET is not set. `npm start` generates one in ./data; when running `next start` " +
        "yourself, set AUTH_SECRET to a random string of at least 16 characters (32 or more is better).",
    );
  }
  return "arena-development-secret-not-for-production";
}

/** What the battle and vote paths need from the configuration. */
export function arenaSettings() {
  const e = env();
  return { ttlMs: e.BATTLE_TTL_SECONDS * 1000, identityWords: e.IDENTITY_WORDS };
}

/** What stands between a client and a new voter id, and what an unvoted battle costs. */
export function admissionSettings() {
  const e = env();
  return {
    limited: e.ARENA_RATE_LIMIT,
    newVotersPerHour: e.ARENA_NEW_VOTERS_PER_HOUR,
    newVotersPerDay: e.ARENA_NEW_VOTERS_PER_DAY,
    skipsPerHour: e.ARENA_SKIPS_PER_HOUR,
    challenge: e.ARENA_VOTER_CHALLENGE,
    challengeWork: e.ARENA_VOTER_CHALLENGE_WORK,
  };
}

const MINUTE = 60_000;
const DAY = 86_400_000;

/** The per-minute and per-day limits on battles and on votes, per voter and per address. */
export function rateLimitSettings() {
  const e = env();
  return {
    limited: e.ARENA_RATE_LIMIT,
    voter: [
      { max: e.ARENA_VOTER_PER_MINUTE, windowMs: MINUTE },
      { max: e.ARENA_VOTER_PER_DAY, windowMs: DAY },
    ],
    address: [
      { max: e.ARENA_ADDRESS_PER_MINUTE, windowMs: MINUTE },
      { max: e.ARENA_ADDRESS_PER_DAY, windowMs: DAY },
    ],
  };
}

export function anomalySettings() {
  const e = env();
  return {
    autoExclude: e.ARENA_AUTO_EXCLUDE,
    alpha: e.ARENA_ANOMALY_ALPHA,
    intervalMs: e.ARENA_ANOMALY_INTERVAL_MS,
  };
}

export function leaderboardSettings() {
  const e = env();
  return {
    minVotes: e.LEADERBOARD_MIN_VOTES,
    bootstrapRounds: e.LEADERBOARD_BOOTSTRAP_ROUNDS,
    maxStalenessMs: e.LEADERBOARD_MAX_STALENESS_MS,
  };
}

/** The leaderboard view a request gets when it names no method (LEADERBOARD_REWEIGHT). */
export function defaultLeaderboardMethod(): "bootstrap" | "reweighted" {
  return env().LEADERBOARD_REWEIGHT ? "reweighted" : "bootstrap";
}

/** For tests that change process.env between cases. */
export function resetEnvCache(): void {
  cached = undefined;
}

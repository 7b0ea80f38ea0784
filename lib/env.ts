import { z } from "zod";

const flag = z
  .enum(["1", "0", "true", "false", "yes", "no", "on", "off"])
  .transform((v) => ["1", "true", "yes", "on"].includes(v));

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
  GITHUB_ID: z.string().optional(),
  GITHUB_SECRET: z.string().optional(),
  GOOGLE_CLIENT_ID: z.string().optional(),
  GOOGLE_CLIENT_SECRET: z.string().optional(),
  /** Voter cookie gets `Secure`; defaults to on in production. */
  COOKIE_SECURE: flag.optional(),
});

export type Env = z.infer<typeof schema> & { cookieSecure: boolean };

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
  cached = { ...e, cookieSecure: e.COOKIE_SECURE ?? e.NODE_ENV === "production" };
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
        "yourself, set AUTH_SECRET to a random string of at least 32 characters.",
    );
  }
  return "arena-development-secret-not-for-production";
}

/** What the battle and vote paths need from the configuration. */
export function arenaSettings() {
  const e = env();
  return { ttlMs: e.BATTLE_TTL_SECONDS * 1000, identityWords: e.IDENTITY_WORDS };
}

export function leaderboardSettings() {
  const e = env();
  return {
    minVotes: e.LEADERBOARD_MIN_VOTES,
    bootstrapRounds: e.LEADERBOARD_BOOTSTRAP_ROUNDS,
    maxStalenessMs: e.LEADERBOARD_MAX_STALENESS_MS,
  };
}

/** For tests that change process.env between cases. */
export function resetEnvCache(): void {
  cached = undefined;
}

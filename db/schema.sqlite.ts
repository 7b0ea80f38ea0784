import { sql } from "drizzle-orm";
import {
  blob,
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";
import type { StyleFeatures } from "../lib/ranking/style-features";
import { WINNERS } from "../lib/winner";

/** Milliseconds since the epoch; SQLite and PostgreSQL both store it as a plain integer. */
const timestamp = (name: string) => integer(name, { mode: "timestamp_ms" });
const now = sql`(cast(unixepoch('subsec') * 1000 as integer))`;

/**
 * A stored text's identity-leak verdict (lib/arena/leak-verdicts.ts): the identity words it
 * contains, decided once against one word list, so drawing a battle reads it instead of running
 * the matcher. `leak_list` names that word list (a digest of its words); null until decided.
 */
const leakVerdict = () => ({
  /** The identity words found, as a JSON array (empty when none). */
  leakWords: text("leak_words", { mode: "json" }).$type<string[]>(),
  leakList: text("leak_list"),
});

export const models = sqliteTable("models", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  slug: text("slug").notNull().unique(),
  displayName: text("display_name").notNull(),
  organization: text("organization").notNull().default(""),
  license: text("license").notNull().default(""),
  link: text("link"),
  /** Hidden models are never drawn into battles and never shown on the leaderboard. */
  hidden: integer("hidden", { mode: "boolean" }).notNull().default(false),
  /** Deprecated models keep their votes but are kept out of new battles. */
  deprecated: integer("deprecated", { mode: "boolean" }).notNull().default(false),
  /** The import that created it (removed with it if that import fails). */
  importId: integer("import_id"),
  createdAt: timestamp("created_at").notNull().default(now),
});

export const prompts = sqliteTable(
  "prompts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** The id the prompt had in the file it was imported from, if any. */
    externalId: text("external_id"),
    /** The first user turn, shown to voters. */
    text: text("text").notNull(),
    /** All user turns for multi-turn prompts, as a JSON array of strings; null for single-turn. */
    turns: text("turns", { mode: "json" }).$type<string[]>(),
    language: text("language").notNull().default("en"),
    /** sha256 of the normalised turns: importing the same prompt twice adds nothing. */
    contentHash: text("content_hash").notNull().unique(),
    /** The import that wrote it (removed with it if that import fails). */
    importId: integer("import_id"),
    source: text("source").notNull().default(""),
    disabled: integer("disabled", { mode: "boolean" }).notNull().default(false),
    ...leakVerdict(),
    createdAt: timestamp("created_at").notNull().default(now),
  },
  (t) => [
    index("prompts_disabled_id").on(t.disabled, t.id),
    // Finding the prompts whose verdict is stale (undecided, or decided with an older word list).
    index("prompts_leak_list").on(t.leakList),
  ],
);

export const promptCategories = sqliteTable(
  "prompt_categories",
  {
    promptId: integer("prompt_id")
      .notNull()
      .references(() => prompts.id, { onDelete: "cascade" }),
    category: text("category").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.promptId, t.category] }),
    index("prompt_categories_category").on(t.category, t.promptId),
  ],
);

export const responses = sqliteTable(
  "responses",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    promptId: integer("prompt_id")
      .notNull()
      .references(() => prompts.id, { onDelete: "cascade" }),
    modelId: integer("model_id")
      .notNull()
      .references(() => models.id, { onDelete: "cascade" }),
    text: text("text").notNull(),
    style: text("style", { mode: "json" }).$type<StyleFeatures>(),
    /** The import that wrote it; while that import runs the response is pending and never drawn. */
    importId: integer("import_id"),
    pending: integer("pending", { mode: "boolean" }).notNull().default(false),
    ...leakVerdict(),
    createdAt: timestamp("created_at").notNull().default(now),
  },
  (t) => [
    uniqueIndex("responses_prompt_model").on(t.promptId, t.modelId),
    index("responses_model").on(t.modelId),
    // Finding the responses whose verdict is stale (undecided, or decided with an older word list).
    index("responses_leak_list").on(t.leakList),
  ],
);

/** The outcome type lives in lib/winner.ts with every spelling of it; the column stores its values. */
export { WINNERS, type Winner } from "../lib/winner";

export const battles = sqliteTable(
  "battles",
  {
    /** Unguessable: knowing one battle id tells nothing about another. */
    id: text("id").primaryKey(),
    promptId: integer("prompt_id")
      .notNull()
      .references(() => prompts.id),
    modelAId: integer("model_a_id")
      .notNull()
      .references(() => models.id),
    modelBId: integer("model_b_id")
      .notNull()
      .references(() => models.id),
    voterId: text("voter_id").notNull(),
    createdAt: timestamp("created_at").notNull(),
    winner: text("winner", { enum: WINNERS }),
    votedAt: timestamp("voted_at"),
    /** "live" for votes cast here, "import" for historical votes loaded from a file. */
    source: text("source").notNull().default("live"),
    /**
     * Keyed digest of the client's address group (an IPv4 address, or an IPv6 /64) that drew
     * the battle; null for imported votes. Never the address itself.
     */
    address: text("address"),
    /** The import that wrote it; while that import runs the battle is pending and not counted. */
    importId: integer("import_id"),
    pending: integer("pending", { mode: "boolean" }).notNull().default(false),
    /** A model named itself (or was named) in the battle: the vote is kept but not counted. */
    identityLeak: integer("identity_leak", { mode: "boolean" }).notNull().default(false),
    /** The words that made it an identity leak, for the admins ("gpt-4 in response B"). */
    leakReason: text("leak_reason"),
    /** Left out of the leaderboard by an admin (e.g. the voter was excluded). */
    excluded: integer("excluded", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [
    index("battles_voter_created").on(t.voterId, t.createdAt),
    index("battles_voted_at").on(t.votedAt),
    index("battles_address_created").on(t.address, t.createdAt),
    // Only unvoted battles: counting an address's skipped draws reads nothing else.
    index("battles_open_by_address").on(t.address, t.createdAt).where(sql`${t.winner} is null`),
    // Deleting a prompt (an import's roll-back, an admin's delete) checks that no battle refers
    // to it: without this index PostgreSQL reads every battle once per prompt deleted (rolling
    // back a 100k-vote import of 1000 prompts beside 1M battles: 106 s, 1.7 s with it).
    index("battles_prompt").on(t.promptId),
    // An import's battles, for its roll-back and settling (on PostgreSQL one statement by
    // import id: import-cleanup.ts). Only imported battles carry one: votes never write to it.
    index("battles_import").on(t.importId).where(sql`${t.importId} is not null`),
  ],
);

/**
 * Outcome counts per category and ordered model pair (A = left side), bumped in the vote's
 * transaction so the leaderboard never rescans votes. Rebuilt from `battles` by a recompute.
 */
export const tallies = sqliteTable(
  "tallies",
  {
    category: text("category").notNull(),
    modelAId: integer("model_a_id")
      .notNull()
      .references(() => models.id, { onDelete: "cascade" }),
    modelBId: integer("model_b_id")
      .notNull()
      .references(() => models.id, { onDelete: "cascade" }),
    winsA: integer("wins_a").notNull().default(0),
    winsB: integer("wins_b").notNull().default(0),
    ties: integer("ties").notNull().default(0),
    bothBad: integer("both_bad").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.category, t.modelAId, t.modelBId] })],
);

/** Prompts a voter has been shown in the current cycle; cleared once they have seen them all. */
export const voterSeen = sqliteTable(
  "voter_seen",
  {
    voterId: text("voter_id").notNull(),
    promptId: integer("prompt_id")
      .notNull()
      .references(() => prompts.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.voterId, t.promptId] })],
);

export const voters = sqliteTable(
  "voters",
  {
    id: text("id").primaryKey(),
    createdAt: timestamp("created_at").notNull().default(now),
    /** Address group (see battles.address) the voter was created from; new voters per address are limited. */
    address: text("address"),
  },
  (t) => [index("voters_address_created").on(t.address, t.createdAt)],
);

export const SUSPECT_KINDS = ["voter", "address"] as const;
export type SuspectKind = (typeof SUSPECT_KINDS)[number];
/**
 * flagged: the anomaly check found the votes implausible and they stopped counting on their own;
 * suspected: the same finding with ARENA_AUTO_EXCLUDE=0, listed for the admins but still counted;
 * cleared: an admin looked and let them count (not flagged again automatically);
 * excluded: an admin took them out by hand.
 */
export const SUSPECT_STATUSES = ["flagged", "suspected", "cleared", "excluded"] as const;
export type SuspectStatus = (typeof SUSPECT_STATUSES)[number];

/**
 * Voters and addresses whose votes the anomaly check or an admin took out of the count (or let
 * back in). A live battle is excluded exactly when its voter or its address is flagged or
 * excluded here.
 */
export const suspects = sqliteTable(
  "suspects",
  {
    kind: text("kind", { enum: SUSPECT_KINDS }).notNull(),
    key: text("key").notNull(),
    status: text("status", { enum: SUSPECT_STATUSES }).notNull(),
    /** Why, in words an admin can check ("votes for Quill in 41 of 41 battles it appeared in"). */
    reason: text("reason").notNull().default(""),
    /** The test behind the flag and its corrected p-value. */
    test: text("test"),
    pValue: real("p_value"),
    votes: integer("votes").notNull().default(0),
    flaggedAt: timestamp("flagged_at").notNull().default(now),
    /** Who set the status by hand (an admin's email); null when set by the anomaly check. */
    decidedBy: text("decided_by"),
    updatedAt: timestamp("updated_at").notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.kind, t.key] })],
);

/**
 * How far the anomaly check has judged each voter and address: the largest vote and drawn-battle
 * checkpoints done. A checkpoint is judged once, so a sweep costs only the records that crossed
 * a new one (a subject's whole record is read once per doubling).
 */
export const anomalyChecks = sqliteTable(
  "anomaly_checks",
  {
    kind: text("kind", { enum: SUSPECT_KINDS }).notNull(),
    key: text("key").notNull(),
    votes: integer("votes").notNull().default(0),
    drawn: integer("drawn").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.kind, t.key] })],
);

/** Proof-of-work challenges already redeemed for a new voter, until they expire: no replays. */
export const redeemedChallenges = sqliteTable(
  "redeemed_challenges",
  {
    signature: text("signature").primaryKey(),
    expiresAt: timestamp("expires_at").notNull(),
  },
  (t) => [index("redeemed_challenges_expires").on(t.expiresAt)],
);

export const users = sqliteTable("users", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  email: text("email").notNull().unique(),
  name: text("name"),
  /** bcrypt hash; null for users who only sign in through an OAuth provider. */
  passwordHash: text("password_hash"),
  role: text("role", { enum: ["admin"] })
    .notNull()
    .default("admin"),
  createdAt: timestamp("created_at").notNull().default(now),
});

/**
 * Admin sessions: the session JWT carries the id, and a session is valid only while its row
 * exists unrevoked, so signing out (or removing an admin) ends it everywhere at once.
 */
export const adminSessions = sqliteTable(
  "admin_sessions",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    createdAt: timestamp("created_at").notNull().default(now),
    expiresAt: timestamp("expires_at").notNull(),
    revokedAt: timestamp("revoked_at"),
  },
  (t) => [index("admin_sessions_email").on(t.email)],
);

/** Failed sign-ins per account and per address, with a lockout that grows with each failure. */
export const signInThrottle = sqliteTable("sign_in_throttle", {
  /** `account:<email>` or `address:<address group digest>`. */
  key: text("key").primaryKey(),
  failures: integer("failures").notNull().default(0),
  lockedUntil: timestamp("locked_until"),
  updatedAt: timestamp("updated_at").notNull().default(now),
});

export const IMPORT_STATUSES = ["running", "done", "failed"] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

export const imports = sqliteTable("imports", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  createdAt: timestamp("created_at").notNull().default(now),
  /** running while its rows are written in batches (pending, not drawn, not counted), then done; failed ones are removed. */
  status: text("status", { enum: IMPORT_STATUSES }).notNull().default("done"),
  fileName: text("file_name"),
  format: text("format").notNull(),
  summary: text("summary", { mode: "json" }).notNull(),
  userEmail: text("user_email"),
});

/**
 * Monotonic counters. `tallies` is bumped by every change to the tallies (a vote, a
 * recompute), so a cached leaderboard knows exactly when it is stale.
 */
export const counters = sqliteTable("counters", {
  name: text("name").primaryKey(),
  value: integer("value").notNull().default(0),
});

export const settings = sqliteTable("settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

/**
 * The published leaderboards: one row per category × interval method, written only by the fit
 * worker (lib/arena/fit-worker), read by every request and every process. Each holds the fit
 * (for the next warm start and for re-rendering after a model edit) and the answers already
 * serialised and gzipped, so a request never fits and never serialises.
 */
export const leaderboardSnapshots = sqliteTable(
  "leaderboard_snapshots",
  {
    category: text("category").notNull(),
    method: text("method").notNull(),
    /** Publication number (the `leaderboard` counter): the ETag, and what open pages poll. */
    seq: integer("seq").notNull(),
    /** The tallies version and model-catalog fingerprint the snapshot reflects. */
    talliesVersion: integer("tallies_version").notNull(),
    catalog: text("catalog").notNull(),
    /** When the fit read the tallies: the age a reader is told. */
    fittedAt: timestamp("fitted_at").notNull(),
    publishedAt: timestamp("published_at").notNull(),
    /** The fit as JSON, gzipped: with its pairwise counts it is most of the row (~1 MB at 250 models). */
    fitGzip: blob("fit_gzip", { mode: "buffer" }).notNull(),
    /** The view without deprecated models, and with them; pairwise matrices in full, gzipped. */
    view: text("view").notNull(),
    viewGzip: blob("view_gzip", { mode: "buffer" }).notNull(),
    viewAll: text("view_all").notNull(),
    viewAllGzip: blob("view_all_gzip", { mode: "buffer" }).notNull(),
    pairwiseGzip: blob("pairwise_gzip", { mode: "buffer" }).notNull(),
    pairwiseAllGzip: blob("pairwise_all_gzip", { mode: "buffer" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.category, t.method] })],
);

/** Leaderboards someone asked for, and when: the fit worker refreshes what is being read first. */
export const leaderboardDemand = sqliteTable(
  "leaderboard_demand",
  {
    category: text("category").notNull(),
    method: text("method").notNull(),
    requestedAt: timestamp("requested_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.category, t.method] })],
);

/** The category list as last published by the fit worker (one row), so no request groups the tallies. */
export const publishedCategories = sqliteTable("published_categories", {
  id: integer("id").primaryKey(),
  talliesVersion: integer("tallies_version").notNull(),
  list: text("list", { mode: "json" }).notNull(),
  publishedAt: timestamp("published_at").notNull(),
});

/**
 * Work one process of a deployment does for all (the fit worker): held by whoever renews it
 * before it expires, taken over by another process when its holder dies.
 */
export const leases = sqliteTable("leases", {
  name: text("name").primaryKey(),
  holder: text("holder").notNull(),
  expiresAt: timestamp("expires_at").notNull(),
});

/**
 * Rate-limit counters (lib/arena/rate-limit.ts): one fixed window per action, scope (voter or
 * address), key and window length, shared by every process on the database. A window starts
 * with the first request after the previous one ended and resets at `reset_at`.
 */
export const rateWindows = sqliteTable(
  "rate_windows",
  {
    /** "battle" or "vote". */
    action: text("action").notNull(),
    /** "voter" or "address". */
    scope: text("scope").notNull(),
    /** The voter id, or the address's keyed digest. */
    key: text("key").notNull(),
    windowMs: integer("window_ms").notNull(),
    /** The limit in force when last counted: the upsert compares against it. */
    maxCount: integer("max_count").notNull(),
    count: integer("count").notNull(),
    resetAt: integer("reset_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.action, t.scope, t.key, t.windowMs] }),
    index("rate_windows_reset_at").on(t.resetAt),
  ],
);

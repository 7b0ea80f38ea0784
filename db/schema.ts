import { sql } from "drizzle-orm";
import {
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";
import type { StyleFeatures } from "../lib/ranking/style-features";

/** Milliseconds since the epoch; SQLite and PostgreSQL both store it as a plain integer. */
const timestamp = (name: string) => integer(name, { mode: "timestamp_ms" });
const now = sql`(cast(unixepoch('subsec') * 1000 as integer))`;

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
    source: text("source").notNull().default(""),
    disabled: integer("disabled", { mode: "boolean" }).notNull().default(false),
    createdAt: timestamp("created_at").notNull().default(now),
  },
  (t) => [index("prompts_disabled_id").on(t.disabled, t.id)],
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
    createdAt: timestamp("created_at").notNull().default(now),
  },
  (t) => [
    uniqueIndex("responses_prompt_model").on(t.promptId, t.modelId),
    index("responses_model").on(t.modelId),
  ],
);

export const WINNERS = ["a", "b", "tie", "bothbad"] as const;
export type Winner = (typeof WINNERS)[number];

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

export const voters = sqliteTable("voters", {
  id: text("id").primaryKey(),
  createdAt: timestamp("created_at").notNull().default(now),
  /** Set when an admin excludes the voter: their votes stop counting. */
  excludedAt: timestamp("excluded_at"),
});

export const users = sqliteTable("users", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  email: text("email").notNull().unique(),
  name: text("name"),
  /** scrypt hash; null for users who only sign in through an OAuth provider. */
  passwordHash: text("password_hash"),
  role: text("role", { enum: ["admin"] })
    .notNull()
    .default("admin"),
  createdAt: timestamp("created_at").notNull().default(now),
});

export const imports = sqliteTable("imports", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  createdAt: timestamp("created_at").notNull().default(now),
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

/**
 * The tables, as this process's database defines them: db/schema.sqlite.ts or db/schema.pg.ts,
 * chosen once from DATABASE_URL (a process talks to one database). Both define the same tables
 * and columns (db/schema-parity.test.ts); code is typed against the SQLite definitions.
 */
import { processDialect } from "./dialect";
import * as pgTables from "./schema.pg";
import * as sqliteTables from "./schema.sqlite";

const tables = (processDialect() === "postgres"
  ? pgTables
  : sqliteTables) as unknown as typeof sqliteTables;

export const models = tables.models;
export const prompts = tables.prompts;
export const promptCategories = tables.promptCategories;
export const responses = tables.responses;
export const battles = tables.battles;
export const tallies = tables.tallies;
export const voterSeen = tables.voterSeen;
export const voters = tables.voters;
export const suspects = tables.suspects;
export const anomalyChecks = tables.anomalyChecks;
export const redeemedChallenges = tables.redeemedChallenges;
export const users = tables.users;
export const adminSessions = tables.adminSessions;
export const signInThrottle = tables.signInThrottle;
export const imports = tables.imports;
export const counters = tables.counters;
export const settings = tables.settings;
export const leaderboardSnapshots = tables.leaderboardSnapshots;
export const leaderboardDemand = tables.leaderboardDemand;
export const publishedCategories = tables.publishedCategories;
export const leases = tables.leases;
export const rateWindows = tables.rateWindows;

export {
  IMPORT_STATUSES,
  type ImportStatus,
  SUSPECT_KINDS,
  SUSPECT_STATUSES,
  type SuspectKind,
  type SuspectStatus,
  WINNERS,
  type Winner,
} from "./schema.sqlite";

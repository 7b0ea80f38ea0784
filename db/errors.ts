import { DrizzleQueryError } from "drizzle-orm";

/**
 * The database's own error behind drizzle's wrapper. Drizzle wraps what the driver throws in a
 * DrizzleQueryError whose message is the failed statement and its parameters ("Failed query:
 * insert into …", a whole batch of an import's text among them): nothing a user can act on, and
 * only on some paths (all of PostgreSQL's, few of SQLite's). The driver's error, its `.cause`, says
 * what went wrong ("disk on fire", "could not extend file", a constraint) the same way on both.
 */
export function databaseError(e: unknown): unknown {
  return e instanceof DrizzleQueryError && e.cause !== undefined ? e.cause : e;
}

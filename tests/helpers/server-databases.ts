/**
 * Databases for the servers the e2e suite and the benchmarks start, on the database this process
 * runs against: SQLite files by default, or, when DATABASE_URL names a PostgreSQL server (as
 * `tsx scripts/with-postgres.ts` sets it), databases on that server. A copy of a prepared
 * database is a file copy on SQLite and `CREATE DATABASE … TEMPLATE` (~20 ms) on PostgreSQL.
 */
import fs from "node:fs";
import path from "node:path";
import { databasePath } from "../../db/client";
import { dialectOf } from "../../db/dialect";
import { onServer, testServerUrl, withDatabase } from "./postgres";
import { CACHE_DIR, removeDatabase } from "./server-harness";

/** The PostgreSQL server this process's databases live on, or undefined on SQLite. */
export const postgresServer = testServerUrl;

/** A database name PostgreSQL takes unquoted: lower case, [a-z0-9_], at most 63 bytes. */
export function databaseName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .slice(0, 63);
}

/**
 * The URL of a new database for a server: empty (the server migrates it as it starts), or a copy
 * of `template` (a URL this function returned, that nobody is connected to while it is copied).
 * SQLite files go to `dir` (bench/.cache/ by default).
 */
export async function freshDatabaseUrl(
  name: string,
  opts: { template?: string; dir?: string } = {},
): Promise<string> {
  const server = postgresServer();
  if (server) {
    const db = databaseName(name);
    await onServer(server, async (c) => {
      await c.query(`drop database if exists ${db} with (force)`);
      await c.query(
        `create database ${db}${opts.template ? ` template ${new URL(opts.template).pathname.slice(1)}` : ""}`,
      );
    });
    return withDatabase(server, db);
  }
  const dir = opts.dir ?? CACHE_DIR;
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name.endsWith(".db") ? name : `${name}.db`);
  removeDatabase(file);
  if (opts.template) fs.copyFileSync(databasePath(opts.template), file);
  return `file:${file}`;
}

/** Deletes a database freshDatabaseUrl made (its connections, if any are left, cut). */
export async function dropDatabase(url: string): Promise<void> {
  if (dialectOf(url) === "postgres") {
    const name = new URL(url).pathname.slice(1);
    await onServer(url, (c) =>
      c.query(`drop database if exists ${databaseName(name)} with (force)`),
    );
  } else {
    removeDatabase(databasePath(url));
  }
}

/** Drops every database on the server whose name starts with `prefix` (what a killed run left). */
export async function dropDatabasesLike(prefix: string): Promise<void> {
  const server = postgresServer();
  if (!server) return;
  await onServer(server, async (c) => {
    const { rows } = await c.query<{ datname: string }>(
      "select datname from pg_database where starts_with(datname, $1)",
      [databaseName(prefix)],
    );
    for (const { datname } of rows) await c.query(`drop database ${datname} with (force)`);
  });
}

import pg from "pg";
import { type ArenaDb, closeDatabase, openDatabase } from "@/db/client";
import { dialectOf } from "@/db/dialect";

/**
 * Fresh databases on the PostgreSQL server of DATABASE_URL (when the suites run on PostgreSQL).
 * The migrations run once, into a template; each test's database is a copy of it (CREATE
 * DATABASE … TEMPLATE, ~20 ms), named after the process so that parallel test files never meet.
 */
const TEMPLATE = "arena_test_template";
let template: Promise<void> | undefined;
let made = 0;

export function testServerUrl(): string | undefined {
  const url = process.env.DATABASE_URL;
  return url && dialectOf(url) === "postgres" ? url : undefined;
}

/** `url` with its database name replaced. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** `work` on a client of the server's `postgres` database (to create and drop databases). */
export async function onServer<T>(url: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(url, "postgres") });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function ensureTemplate(url: string): Promise<void> {
  await onServer(url, async (c) => {
    // Test files run in parallel processes: one builds the template, the others wait for it.
    await c.query("select pg_advisory_lock(7411902332)");
    try {
      const exists = await c.query("select 1 from pg_database where datname = $1", [TEMPLATE]);
      if (exists.rowCount) return;
      await c.query(`create database ${TEMPLATE}`);
      await closeDatabase(await openDatabase(withDatabase(url, TEMPLATE)));
    } finally {
      await c.query("select pg_advisory_unlock(7411902332)");
    }
  });
}

/** A new, migrated, empty database's URL, or undefined when the suites run on SQLite. */
export async function freshPostgresUrl(): Promise<string | undefined> {
  const url = testServerUrl();
  if (!url) return undefined;
  template ??= ensureTemplate(url);
  await template;
  const name = `arena_t_${process.pid}_${++made}`;
  await onServer(url, (c) => c.query(`create database ${name} template ${TEMPLATE}`));
  return withDatabase(url, name);
}

/** A new database with nothing in it (not even the migrations), or undefined on SQLite. */
export async function emptyPostgresUrl(): Promise<string | undefined> {
  const url = testServerUrl();
  if (!url) return undefined;
  const name = `arena_t_${process.pid}_${++made}`;
  await onServer(url, (c) => c.query(`create database ${name}`));
  trackTestDatabase(withDatabase(url, name));
  return withDatabase(url, name);
}

const opened: { url: string; db?: ArenaDb }[] = [];

/**
 * Remembers a test database, to drop when its test file ends (tests/setup.ts), and a connection
 * to it, to close then if the test has not.
 */
export function trackTestDatabase(url: string, db: ArenaDb): ArenaDb;
export function trackTestDatabase(url: string): void;
export function trackTestDatabase(url: string, db?: ArenaDb): ArenaDb | undefined {
  opened.push({ url, db });
  return db;
}

export async function dropTestDatabases(): Promise<void> {
  const server = testServerUrl();
  if (!server) return;
  const all = opened.splice(0);
  await Promise.all(all.map(({ db }) => db && closeDatabase(db).catch(() => undefined)));
  await onServer(server, async (c) => {
    for (const url of new Set(all.map((o) => o.url))) {
      const name = new URL(url).pathname.slice(1);
      await c.query(`drop database if exists ${name} with (force)`);
    }
  });
}

/** Before a run: a template left by an earlier run may predate the migrations. */
export async function dropTemplate(): Promise<void> {
  const url = testServerUrl();
  if (!url) return;
  await onServer(url, async (c) => {
    const stale = await c.query<{ datname: string }>(
      "select datname from pg_database where datname = $1 or datname like 'arena_t_%'",
      [TEMPLATE],
    );
    for (const { datname } of stale.rows) await c.query(`drop database ${datname} with (force)`);
  });
}

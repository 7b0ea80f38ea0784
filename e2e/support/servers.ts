/**
 * The e2e suite's servers: every spec file gets a production server of its own on a fresh copy
 * of one prepared database (migrated, demo set loaded, admin created — what `npm start` does on
 * a first run), so no spec sees another's votes and files can run in any order, on any worker.
 * The build and the prepared database are made once per run (e2e/support/global-setup.ts).
 * The databases are SQLite files, or, when DATABASE_URL names a PostgreSQL server (as
 * `tsx scripts/with-postgres.ts` sets it: `npm run test:e2e:pg`), databases on that server, each
 * spec's a `CREATE DATABASE … TEMPLATE` copy of the prepared one.
 */
import path from "node:path";
import { withDatabase } from "../../tests/helpers/postgres";
import {
  databaseName,
  dropDatabase,
  freshDatabaseUrl,
  postgresServer,
} from "../../tests/helpers/server-databases";
import { type ArenaServer, REPO_ROOT, startServer } from "../../tests/helpers/server-harness";

export const ADMIN = {
  email: "admin@example.com",
  password: "e2e-admin-password",
  token: "e2e-admin-token-0123456789abcdef",
};

/** The first port of the run (the shared server of specs that import `test` from Playwright). */
export const BASE_PORT = Number(process.env.E2E_PORT ?? 3200);

/** Where the run's SQLite databases live, one directory per E2E_PORT: wiped at the start of each run. */
export const E2E_DATA_DIR = path.join(REPO_ROOT, "data", "e2e", `port-${BASE_PORT}`);
/** What the names of the run's PostgreSQL databases start with, one prefix per E2E_PORT. */
export const E2E_DB_PREFIX = `arena_e2e_${BASE_PORT}_`;

/** The prepared database every spec's server copies: a file, or a PostgreSQL template database. */
export function templateUrl(): string {
  const server = postgresServer();
  return server
    ? withDatabase(server, databaseName(`${E2E_DB_PREFIX}template`))
    : `file:${path.join(E2E_DATA_DIR, "template.db")}`;
}

/** The environment every spec's server runs with; a spec overrides keys with `serverEnv`. */
export const DEFAULT_SERVER_ENV: Record<string, string> = {
  AUTH_SECRET: "e2e-secret-with-enough-length-for-hmac",
  COOKIE_SECURE: "false",
  ADMIN_EMAIL: ADMIN.email,
  ADMIN_PASSWORD: ADMIN.password,
  ADMIN_TOKEN: ADMIN.token,
  // the limits on, as deployed — only raised (below) where one address scripting is the point
  ARENA_RATE_LIMIT: "1",
  // Every context of this suite comes from 127.0.0.1 and votes by script — just what the
  // per-address limits and the anomaly check are for. They are exercised with their defaults
  // on a server of their own (e2e/admission.spec.ts); here they would only get in the way.
  ARENA_NEW_VOTERS_PER_HOUR: "100000",
  ARENA_NEW_VOTERS_PER_DAY: "100000",
  ARENA_SKIPS_PER_HOUR: "100000",
  ARENA_AUTO_EXCLUDE: "0",
  // GitHub sign-in offered (never completed: no network), so its OAuth callback URL can be checked.
  GITHUB_ID: "e2e-github-client-id",
  GITHUB_SECRET: "e2e-github-client-secret",
  // small enough that e2e/body-limits.spec.ts can pass the import's overall cap cheaply
  IMPORT_MAX_BYTES: String(16 * 1024 * 1024),
};

/** Pages that write nothing (no voter, no battle), the ones specs open first. */
const WARM_UP = ["/", "/leaderboard", "/signin"];

/** Starts a server on a fresh copy of the prepared database. */
export async function startSpecServer(opts: {
  name: string;
  port: number;
  env?: Record<string, string>;
}): Promise<{ server: ArenaServer; databaseUrl: string }> {
  const databaseUrl = await freshDatabaseUrl(`${E2E_DB_PREFIX}${opts.name}`, {
    template: templateUrl(),
    dir: E2E_DATA_DIR,
  });
  let server: ArenaServer;
  try {
    server = await startServer({
      port: opts.port,
      databaseUrl,
      env: { ...DEFAULT_SERVER_ENV, ...opts.env },
      readyTimeoutMs: 120_000,
    });
  } catch (e) {
    await dropDatabase(databaseUrl);
    throw e;
  }
  // A new process renders its first pages slowly (cold code, cold caches): pay that here, under
  // the fixture's timeout, rather than in the 30 s of the spec's first test.
  for (const page of WARM_UP) await fetch(`${server.url}${page}`).then((r) => r.arrayBuffer());
  return { server, databaseUrl };
}

/**
 * One worker's server: started for the first test of a spec file, kept for the file's other
 * tests, replaced when the worker moves on to another file (or the file asks for other env).
 */
export class SpecServers {
  private current?: { key: string; server: ArenaServer; databaseUrl: string };

  constructor(
    private readonly port: number,
    private readonly worker: number,
  ) {}

  async serve(file: string, env: Record<string, string>): Promise<ArenaServer> {
    const key = `${file}\n${JSON.stringify(env)}`;
    if (this.current?.key === key && this.current.server.process.exitCode === null)
      return this.current.server;
    await this.close();
    const name = `${path.basename(file).replace(/\.spec\.ts$/, "")}-w${this.worker}-${Date.now()}`;
    const { server, databaseUrl } = await startSpecServer({ name, port: this.port, env });
    this.current = { key, server, databaseUrl };
    return server;
  }

  async close(): Promise<void> {
    if (!this.current) return;
    const { server, databaseUrl } = this.current;
    this.current = undefined;
    await server.stop();
    await dropDatabase(databaseUrl);
  }
}

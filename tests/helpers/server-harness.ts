/**
 * Shared helpers for the server benchmarks and the e2e suite: build the production bundle when
 * it is stale, start `node scripts/server.mjs` on a port of its own with its own database file,
 * stop or SIGKILL it, and talk to it over keep-alive HTTP as a voter with a cookie.
 *
 * Everything stays on loopback, on ports 3300–3399, with database files under bench/.cache/ (or
 * databases on the PostgreSQL server of DATABASE_URL: tests/helpers/server-databases.ts).
 * Servers started here are killed when this process exits, whatever the reason.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildIsStale as buildIsStaleAt } from "../../scripts/build-sources";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const CACHE_DIR = path.join(REPO_ROOT, "bench", ".cache");

export const PORT_RANGE = { from: 3300, to: 3399 } as const;
export const BENCH_AUTH_SECRET = "bench-auth-secret-0123456789abcdef-0123456789";
export const BENCH_ADMIN_TOKEN = "bench-admin-token-0123456789abcdef";

// ---------------------------------------------------------------------------------------------
// Build

/** True when .next/BUILD_ID is missing or older than a source file the server runs. */
export function buildIsStale(root = REPO_ROOT): boolean {
  return buildIsStaleAt(root);
}

/** `npx next build` when the build is missing or stale (or always, with `force`). */
export function ensureBuild(opts: { root?: string; force?: boolean; log?: boolean } = {}): void {
  const root = opts.root ?? REPO_ROOT;
  if (!opts.force && !buildIsStale(root)) return;
  if (opts.log !== false) console.error(`building ${root} (npx next build) …`);
  execFileSync("npx", ["next", "build"], {
    cwd: root,
    stdio: opts.log === false ? "ignore" : ["ignore", "ignore", "inherit"],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
}

// ---------------------------------------------------------------------------------------------
// Database files and ports

/** An absolute path under bench/.cache/ with no database (nor -wal/-shm) left from a previous run. */
export function freshDatabase(name: string): string {
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const file = path.join(CACHE_DIR, name.endsWith(".db") ? name : `${name}.db`);
  removeDatabase(file);
  return file;
}

export function removeDatabase(file: string): void {
  for (const suffix of ["", "-wal", "-shm", "-journal"]) fs.rmSync(file + suffix, { force: true });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => resolve(false));
    srv.listen({ port, host: "::", ipv6Only: false }, () => srv.close(() => resolve(true)));
  });
}

/** The first free port at or after `preferred`, within 3300–3399. */
export async function freePort(preferred: number = PORT_RANGE.from): Promise<number> {
  const start = Math.min(Math.max(preferred, PORT_RANGE.from), PORT_RANGE.to);
  for (let i = 0; i <= PORT_RANGE.to - PORT_RANGE.from; i++) {
    const port =
      PORT_RANGE.from + ((start - PORT_RANGE.from + i) % (PORT_RANGE.to - PORT_RANGE.from + 1));
    if (await portIsFree(port)) return port;
  }
  throw new Error(`no free port in ${PORT_RANGE.from}–${PORT_RANGE.to}`);
}

// ---------------------------------------------------------------------------------------------
// Server processes

export interface ServerOptions {
  port: number;
  /**
   * The database: a `file:` or `postgres://` URL (tests/helpers/server-databases.ts makes one on
   * the database this process runs against), migrated and seeded as the server starts…
   */
  databaseUrl?: string;
  /** …or the absolute path of an SQLite file. */
  dbFile?: string;
  /** The checkout to serve (its .next build and scripts/server.mjs); the repository by default. */
  root?: string;
  /** Extra environment, on top of the production defaults below. */
  env?: Record<string, string>;
  /** Flags for node before the script, e.g. ["--cpu-prof", "--cpu-prof-dir=…"]. */
  nodeArgs?: string[];
  /** The script to run, relative to root. */
  script?: string;
  readyTimeoutMs?: number;
  /** Echo the server's output to this process's stderr. */
  echo?: boolean;
}

export interface ArenaServer {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  readonly process: ChildProcess;
  /** Resolves when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last few kilobytes the server wrote, for failure messages. */
  output(): string;
  /** SIGKILL, and wait until the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM (a clean shutdown), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<ChildProcess>();

/** SIGKILLs every server this process started that is still running (tests' afterEach). */
export function killAllServers(): void {
  killAllSync();
}

function killAllSync(): void {
  for (const child of running) {
    try {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null)
        process.kill(child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  running.clear();
}

let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", killAllSync);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      killAllSync();
      process.exit(130);
    });
  }
}

function serverDatabaseUrl(opts: ServerOptions): string {
  if (opts.databaseUrl) return opts.databaseUrl;
  if (opts.dbFile) return `file:${opts.dbFile}`;
  throw new Error("startServer: give databaseUrl or dbFile");
}

/** The environment a benchmark server runs with: production, limits off, plain HTTP cookies. */
export function serverEnv(opts: ServerOptions): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(opts.port),
    DATABASE_URL: serverDatabaseUrl(opts),
    AUTH_SECRET: BENCH_AUTH_SECRET,
    ADMIN_TOKEN: BENCH_ADMIN_TOKEN,
    ARENA_RATE_LIMIT: "0",
    COOKIE_SECURE: "false",
    ...opts.env,
  };
}

/** Starts the production server and resolves once GET /api/health answers 200. */
export async function startServer(opts: ServerOptions): Promise<ArenaServer> {
  installExitHook();
  const root = opts.root ?? REPO_ROOT;
  if (!fs.existsSync(path.join(root, ".next", "BUILD_ID")))
    throw new Error(`${root} has no production build: run \`npx next build\` first`);
  const child = spawn(
    process.execPath,
    [...(opts.nodeArgs ?? []), opts.script ?? "scripts/server.mjs"],
    { cwd: root, env: serverEnv(opts), stdio: ["ignore", "pipe", "pipe"] },
  );
  if (child.pid === undefined) throw new Error("could not spawn the server");
  running.add(child);
  let tail = "";
  const keep = (chunk: Buffer) => {
    const s = chunk.toString();
    if (opts.echo) process.stderr.write(s);
    tail = (tail + s).slice(-8000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    }),
  );
  const pid = child.pid;
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const server: ArenaServer = {
    url: `http://127.0.0.1:${opts.port}`,
    port: opts.port,
    pid,
    process: child,
    exited,
    output: () => tail,
    async kill() {
      if (!gone()) process.kill(pid, "SIGKILL");
      await exited;
    },
    async stop(graceMs = 5000) {
      if (gone()) return;
      process.kill(pid, "SIGTERM");
      const timer = setTimeout(() => {
        if (!gone()) process.kill(pid, "SIGKILL");
      }, graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 60_000);
  const probe = new HttpClient(server.url, { maxSockets: 1, keepAlive: false });
  try {
    for (;;) {
      if (gone()) throw new Error(`the server exited before it was ready:\n${tail}`);
      try {
        const r = await probe.request("GET", "/api/health", { timeoutMs: 30_000 });
        if (r.status === 200) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`the server was not ready in time:\n${tail}`);
      await sleep(100);
    }
  } catch (e) {
    await server.kill();
    throw e;
  } finally {
    probe.close();
  }
  return server;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---------------------------------------------------------------------------------------------
// HTTP: node:http with a keep-alive agent, much cheaper per request than fetch()

export interface HttpResponse {
  status: number;
  body: string;
  setCookie: string[];
  headers: http.IncomingHttpHeaders;
}

export class HttpError extends Error {
  constructor(
    message: string,
    readonly kind: "network" | "timeout",
  ) {
    super(message);
  }
}

export class HttpClient {
  readonly agent: http.Agent;
  private readonly host: string;
  private readonly port: number;

  constructor(base: string, opts: { maxSockets?: number; keepAlive?: boolean } = {}) {
    const u = new URL(base);
    this.host = u.hostname;
    this.port = Number(u.port);
    this.agent = new http.Agent({
      keepAlive: opts.keepAlive ?? true,
      maxSockets: opts.maxSockets ?? 256,
      keepAliveMsecs: 10_000,
    });
  }

  request(
    method: string,
    pathname: string,
    opts: {
      json?: unknown;
      cookie?: string;
      headers?: Record<string, string>;
      timeoutMs?: number;
    } = {},
  ): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = { ...opts.headers };
      let payload: string | undefined;
      if (opts.json !== undefined) {
        payload = JSON.stringify(opts.json);
        headers["content-type"] = "application/json";
        headers["content-length"] = String(Buffer.byteLength(payload));
      } else if (method === "POST") {
        headers["content-length"] = "0";
      }
      if (opts.cookie) headers.cookie = opts.cookie;
      const req = http.request(
        { host: this.host, port: this.port, method, path: pathname, headers, agent: this.agent },
        (res) => {
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => {
            body += chunk;
          });
          res.on("end", () => {
            const sc = res.headers["set-cookie"];
            resolve({
              status: res.statusCode ?? 0,
              body,
              setCookie: sc ?? [],
              headers: res.headers,
            });
          });
          res.on("error", (e) => reject(new HttpError(e.message, "network")));
        },
      );
      req.setTimeout(opts.timeoutMs ?? 30_000, () =>
        req.destroy(new HttpError(`timeout after ${opts.timeoutMs ?? 30_000} ms`, "timeout")),
      );
      req.on("error", (e) =>
        reject(e instanceof HttpError ? e : new HttpError(e.message, "network")),
      );
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// A voter: a cookie jar of one cookie, and the two calls of the voting loop

export const WINNERS = ["a", "b", "tie", "bothbad"] as const;
export type Winner = (typeof WINNERS)[number];

export interface BattleJson {
  id: string;
  prompt: string;
  a: { text: string };
  b: { text: string };
}

export class Voter {
  /** `arena_voter=…`, as the server set it on the first battle. */
  cookie: string | undefined;

  constructor(private readonly client: HttpClient) {}

  private remember(r: HttpResponse): void {
    for (const c of r.setCookie) {
      const pair = c.split(";", 1)[0] ?? "";
      if (pair.startsWith("arena_voter=")) this.cookie = pair;
    }
  }

  async createBattle(): Promise<{ status: number; battle?: BattleJson; body: string }> {
    const r = await this.client.request("POST", "/api/battles", { cookie: this.cookie });
    this.remember(r);
    return {
      status: r.status,
      battle: r.status === 201 ? (JSON.parse(r.body) as BattleJson) : undefined,
      body: r.body,
    };
  }

  async vote(battleId: string, winner: Winner): Promise<{ status: number; body: string }> {
    const r = await this.client.request("POST", `/api/battles/${battleId}/vote`, {
      cookie: this.cookie,
      json: { winner },
    });
    return { status: r.status, body: r.body };
  }
}

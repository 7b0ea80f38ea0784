/**
 * `tsx scripts/with-postgres.ts <command…>`: runs the command against a throwaway PostgreSQL
 * server (DATABASE_URL set to it), then stops the server and deletes it. Without PostgreSQL's
 * server binaries it says so and exits 0, so `npm test` still runs the SQLite suites on a machine
 * without PostgreSQL (CI installs Debian's `postgresql` package first: .ci/run).
 */
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const command = process.argv.slice(2);
if (command.length === 0) {
  console.error("usage: tsx scripts/with-postgres.ts <command> [args…]");
  process.exit(2);
}

/** Debian puts each major version's server binaries in /usr/lib/postgresql/<major>/bin. */
function serverBinaries(): string | undefined {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = "/usr/lib/postgresql";
  const majors = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter((v) => fs.existsSync(path.join(root, v, "bin", "initdb")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  return majors[0] ? path.join(root, majors[0], "bin") : undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

const bin = serverBinaries();
if (!bin) {
  console.log(
    `PostgreSQL suites skipped (${command.join(" ")}): no PostgreSQL server binaries found. Install Debian's \`postgresql\` package (or set PG_BIN) to run them.`,
  );
  process.exit(0);
}

// initdb refuses to run as root: the cluster belongs to the postgres user then.
const asRoot = process.getuid?.() === 0;
const run = (exe: string, args: string[]) => {
  const [file, argv] = asRoot
    ? ["runuser", ["-u", "postgres", "--", path.join(bin, exe), ...args]]
    : [path.join(bin, exe), args];
  execFileSync(file, argv, { stdio: ["ignore", "ignore", "inherit"] });
};

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "arena-pg-"));
if (asRoot) execFileSync("chown", ["postgres", dir]);
const data = path.join(dir, "data");
const port = await freePort();
let started = false;
const stop = () => {
  if (started) {
    try {
      run("pg_ctl", ["-D", data, "-m", "immediate", "stop"]);
    } catch {
      // already gone
    }
    started = false;
  }
  fs.rmSync(dir, { recursive: true, force: true });
};

try {
  run("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"]);
  // A test cluster: durability off (it is deleted afterwards), enough connections for the
  // parallel test files and the e2e servers' pools.
  const settings = [
    `-p ${port}`,
    `-k ${dir}`,
    "-c listen_addresses=127.0.0.1",
    "-c fsync=off",
    "-c synchronous_commit=off",
    "-c full_page_writes=off",
    "-c max_connections=300",
  ].join(" ");
  run("pg_ctl", ["-D", data, "-o", settings, "-l", path.join(dir, "log"), "-w", "start"]);
  started = true;
} catch (e) {
  console.error(`could not start a throwaway PostgreSQL in ${dir}: ${(e as Error).message}`);
  try {
    console.error(fs.readFileSync(path.join(dir, "log"), "utf8"));
  } catch {}
  stop();
  process.exit(1);
}

const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
console.log(`PostgreSQL ${path.basename(path.dirname(bin))} on ${url}: ${command.join(" ")}`);
const child = spawn(command[0] as string, command.slice(1), {
  stdio: "inherit",
  env: { ...process.env, DATABASE_URL: url, ARENA_TEST_DIALECT: "postgres" },
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => child.kill(signal));
}
child.on("exit", (code, signal) => {
  stop();
  process.exit(code ?? (signal ? 1 : 0));
});

/**
 * `npm start`: everything a fresh clone needs, in order — a secret, a production build when
 * there is none (or the sources changed), the migrated database with its first admin, then the
 * server (scripts/server.mjs, whose start-up step loads the demo set into an empty database:
 * instrumentation.ts) — and it prints the URL once the server answers.
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { closeDatabase, databasePath, openDatabase } from "../db/client";
import { dialectOf } from "../db/dialect";
import { ensureFirstAdmin } from "../lib/auth/users";
import { env } from "../lib/env";
import { buildIsStale } from "./build-sources";

// Next prints a telemetry notice on the first build and would report usage; a self-hosted
// arena opts out unless its operator says otherwise.
process.env.NEXT_TELEMETRY_DISABLED ??= "1";

const root = process.cwd();
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");

/** Beside the SQLite file; ./data for an in-memory or PostgreSQL database. */
function dataDir(): string {
  const url = env().DATABASE_URL;
  if (dialectOf(url) === "postgres") return path.join(root, "data");
  const file = databasePath(url);
  return file === ":memory:" ? path.join(root, "data") : path.dirname(file);
}

/** A stable secret for a deployment that did not set one, kept beside the database. */
function ensureSecret(): string {
  const given = process.env.AUTH_SECRET ?? process.env.NEXTAUTH_SECRET;
  if (given) return given;
  const file = path.join(dataDir(), "auth-secret");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
    console.log(`Generated AUTH_SECRET in ${path.relative(root, file)}`);
  }
  return fs.readFileSync(file, "utf8").trim();
}

function buildIfNeeded(): void {
  if (!buildIsStale(root)) return;
  console.log(
    fs.existsSync(path.join(root, ".next", "BUILD_ID"))
      ? "Sources changed since the last build: rebuilding…"
      : "No production build yet: building…",
  );
  const result = spawnSync(process.execPath, [nextBin, "build"], {
    stdio: "inherit",
    env: process.env,
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

async function waitForHealth(url: string, child: ReturnType<typeof spawn>): Promise<boolean> {
  for (let i = 0; i < 600 && child.exitCode === null; i++) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

async function main() {
  process.env.AUTH_SECRET = ensureSecret();
  buildIfNeeded();

  const db = await openDatabase(env().DATABASE_URL);
  const admin = await ensureFirstAdmin(db, {
    email: env().ADMIN_EMAIL,
    password: env().ADMIN_PASSWORD,
  });
  if (admin?.generatedPassword) {
    console.log(
      `\n  Created the first admin. Sign in at /signin with\n    email:    ${admin.email}\n    password: ${admin.generatedPassword}\n  This password is shown only once; set ADMIN_EMAIL/ADMIN_PASSWORD or run\n  \`npm run arena -- create-admin\` to choose your own.\n`,
    );
  } else if (admin?.created) {
    console.log(`Created the admin ${admin.email} from ADMIN_EMAIL/ADMIN_PASSWORD.`);
  }
  await closeDatabase(db);

  const port = String(env().PORT);
  const child = spawn(process.execPath, [path.join(root, "scripts", "server.mjs")], {
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production", PORT: port },
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
  child.on("exit", (code) => process.exit(code ?? 0));

  const url = `http://localhost:${port}`;
  if (await waitForHealth(url, child)) console.log(`\n  Arena is running at ${url}\n`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});

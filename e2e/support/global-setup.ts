/**
 * Once per run, before any spec: a production build when the sources changed since the last one
 * (as `npm start` decides), and the prepared database every spec's server copies. Spec files that
 * import `test` from "@playwright/test" rather than "./fixtures" get no server of their own: for
 * them one shared server runs on E2E_PORT, as the whole suite once did.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import {
  dropDatabase,
  dropDatabasesLike,
  freshDatabaseUrl,
} from "../../tests/helpers/server-databases";
import { ensureBuild, REPO_ROOT } from "../../tests/helpers/server-harness";
import {
  BASE_PORT,
  DEFAULT_SERVER_ENV,
  E2E_DATA_DIR,
  E2E_DB_PREFIX,
  startSpecServer,
  templateUrl,
} from "./servers";

const E2E_DIR = path.join(REPO_ROOT, "e2e");

/** Spec files whose `test` comes straight from Playwright, without the per-file server. */
function specsWithoutOwnServer(): string[] {
  return fs
    .readdirSync(E2E_DIR)
    .filter((f) => f.endsWith(".spec.ts"))
    .filter((f) =>
      /import\s*\{[^}]*\btest\b[^}]*\}\s*from\s*["']@playwright\/test["']/.test(
        fs.readFileSync(path.join(E2E_DIR, f), "utf8"),
      ),
    );
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  fs.rmSync(E2E_DATA_DIR, { recursive: true, force: true });
  fs.mkdirSync(E2E_DATA_DIR, { recursive: true });
  // what an interrupted run on this port left on the PostgreSQL server, if it is one
  await dropDatabasesLike(E2E_DB_PREFIX);
  ensureBuild();
  const template = templateUrl();
  if (template.startsWith("postgres")) await freshDatabaseUrl(new URL(template).pathname.slice(1));
  execFileSync(
    process.execPath,
    ["--import", "tsx", path.join(E2E_DIR, "support", "prepare-db.ts")],
    {
      cwd: REPO_ROOT,
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, ...DEFAULT_SERVER_ENV, DATABASE_URL: template },
    },
  );

  const dropTemplate = () => (template.startsWith("postgres") ? dropDatabase(template) : undefined);
  const shared = specsWithoutOwnServer();
  if (shared.length === 0) return async () => dropTemplate();
  console.warn(
    `${shared.join(", ")}: import { test } from "./fixtures" to run on a server of its own; sharing one on port ${BASE_PORT} meanwhile`,
  );
  const { server, databaseUrl } = await startSpecServer({ name: "shared", port: BASE_PORT });
  return async () => {
    await server.stop();
    await dropDatabase(databaseUrl);
    await dropTemplate();
  };
}

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach } from "vitest";
import { runCli } from "@/lib/cli";
import { resetEnvCache } from "@/lib/env";
import { freshPostgresUrl } from "./postgres";

/** Runs an `arena` command as scripts/arena.ts does, with its output captured. */
export async function cli(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}

/**
 * For a CLI test file: before each test a database of its own (a file in a fresh folder, or a
 * new database on the suite's PostgreSQL server) named by DATABASE_URL, as the `arena` command
 * reads it; after each, DATABASE_URL as it was. `url()` is the current test's database.
 */
export function cliDatabasePerTest(name: string): { url: () => string } {
  let dir = "";
  let url = "";
  const saved = process.env.DATABASE_URL;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `arena-cli-${name}-`));
    url = (await freshPostgresUrl()) ?? `file:${path.join(dir, "arena.db")}`;
    process.env.DATABASE_URL = url;
    resetEnvCache();
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
    resetEnvCache();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return { url: () => url };
}

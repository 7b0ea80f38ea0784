import { parseArgs } from "node:util";
import { closeDatabase, openDatabase } from "@/db/client";
import { migrationStatus } from "@/db/migrations";
import { env } from "@/lib/env";
import type { Command } from "./io";

/**
 * `migrate [--check]`: brings DATABASE_URL's schema up to date and says what it applied; with
 * `--check`, applies nothing and exits 1 when migrations are pending (a deploy script's gate).
 * Servers migrate too when they open the database; on PostgreSQL every process does so under
 * one advisory lock, so when several start together one migrates and the others wait.
 */
export const migrateCommand: Command = async (argv, io) => {
  const { values } = parseArgs({ args: argv, options: { check: { type: "boolean" } } });
  const url = env().DATABASE_URL;
  const before = await openDatabase(url, { migrate: false });
  let pending: string[];
  try {
    ({ pending } = await migrationStatus(before));
  } finally {
    await closeDatabase(before);
  }
  if (values.check) {
    io.stdout.write(
      pending.length === 0
        ? "the database is up to date\n"
        : `${pending.length} migration(s) pending: ${pending.join(", ")}\n`,
    );
    return pending.length === 0 ? 0 : 1;
  }
  const db = await openDatabase(url);
  try {
    const after = await migrationStatus(db);
    if (after.pending.length > 0) {
      io.stderr.write(`still pending after migrating: ${after.pending.join(", ")}\n`);
      return 1;
    }
    io.stdout.write(
      pending.length === 0
        ? `the database is up to date (${after.applied.length} migrations)\n`
        : `applied ${pending.length} migration(s): ${pending.join(", ")}\n`,
    );
    return 0;
  } finally {
    await closeDatabase(db);
  }
};

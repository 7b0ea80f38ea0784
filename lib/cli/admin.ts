import { parseArgs } from "node:util";
import { closeDatabase } from "@/db/client";
import { recomputeTallies } from "@/lib/arena/tallies";
import { generatePassword } from "@/lib/auth/password";
import { removeAdmin, upsertAdmin } from "@/lib/auth/users";
import { cliDb } from "./db";
import type { Command } from "./io";

/** `create-admin --email E [--password P] [--name N]`: without a password, one is generated and shown once. */
export const createAdmin: Command = async (argv, io) => {
  const { values } = parseArgs({
    args: argv,
    options: { email: { type: "string" }, password: { type: "string" }, name: { type: "string" } },
  });
  if (!values.email) {
    io.stderr.write(
      "usage: arena create-admin --email EMAIL [--password PASSWORD] [--name NAME]\n",
    );
    return 2;
  }
  const password = values.password ?? generatePassword();
  const db = await cliDb();
  try {
    const { created, passwordChanged } = await upsertAdmin(db, {
      email: values.email,
      password,
      name: values.name,
    });
    io.stdout.write(
      created
        ? `Created admin ${values.email.toLowerCase()}\n`
        : `Updated admin ${values.email.toLowerCase()}${passwordChanged ? ": new password, their sessions are signed out" : ": same password"}; any sign-in lockout is lifted\n`,
    );
    if (!values.password) io.stdout.write(`password: ${password}\n(shown only once)\n`);
    return 0;
  } finally {
    await closeDatabase(db);
  }
};

/** `remove-admin --email E`: the account is deleted and every session of theirs ends at once. */
export const removeAdminCommand: Command = async (argv, io) => {
  const { values } = parseArgs({ args: argv, options: { email: { type: "string" } } });
  if (!values.email) {
    io.stderr.write("usage: arena remove-admin --email EMAIL\n");
    return 2;
  }
  const db = await cliDb();
  try {
    if (!(await removeAdmin(db, values.email))) {
      io.stderr.write(`No admin ${values.email.toLowerCase()}\n`);
      return 1;
    }
    io.stdout.write(`Removed admin ${values.email.toLowerCase()} and signed out their sessions\n`);
    return 0;
  } finally {
    await closeDatabase(db);
  }
};

/** `recompute`: rebuild every tally from the battles, e.g. after excluding votes by hand. */
export const recompute: Command = async (_argv, io) => {
  const db = await cliDb();
  try {
    const t = performance.now();
    const rows = await recomputeTallies(db);
    io.stdout.write(
      `Recomputed ${rows} tally rows from the battles in ${Math.round(performance.now() - t)} ms\n`,
    );
    return 0;
  } finally {
    await closeDatabase(db);
  }
};

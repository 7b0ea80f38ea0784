import { closeDatabase } from "@/db/client";
import { describeReclassify, reclassifyPrompts } from "@/lib/arena/reclassify";
import { ArenaError } from "@/lib/errors";
import { cliDb } from "./db";
import type { Command } from "./io";

/** `reclassify`: every prompt through the current classifier, the tallies moved with them. */
export const reclassifyCommand: Command = async (_argv, io) => {
  const db = await cliDb();
  try {
    const summary = await reclassifyPrompts(db, {
      onBatch: (done) => {
        if (done % 10_000 === 0) io.stdout.write(`… ${done} prompts\n`);
      },
    });
    io.stdout.write(`${describeReclassify(summary)}\n`);
    return 0;
  } catch (e) {
    if (e instanceof ArenaError && e.code === "import_running") {
      io.stderr.write(
        `${e.message}\nNothing more was changed; run it again once the import is done.\n`,
      );
      return 1;
    }
    throw e;
  } finally {
    await closeDatabase(db);
  }
};

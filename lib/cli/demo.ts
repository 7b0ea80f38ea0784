import { parseArgs } from "node:util";
import { closeDatabase } from "@/db/client";
import { type DemoSetCounts, demoSetCounts, hasDemoSet, removeDemoSet } from "@/lib/arena/demo-set";
import { cliDb } from "./db";
import type { Command } from "./io";

const described = (c: DemoSetCounts) =>
  `${c.prompts} prompts, ${c.responses} responses, ${c.models} models and ${c.votes} votes`;

/** `remove-demo [--yes]`: without --yes, says what would go and changes nothing. */
export const removeDemoCommand: Command = async (argv, io) => {
  const { values } = parseArgs({ args: argv, options: { yes: { type: "boolean", short: "y" } } });
  const db = await cliDb();
  try {
    if (!(await hasDemoSet(db))) {
      io.stdout.write("No demo set in this arena: nothing to remove.\n");
      return 0;
    }
    if (!values.yes) {
      io.stdout.write(
        `The demo set holds ${described(await demoSetCounts(db))}.\nRun \`arena remove-demo --yes\` to remove it (it cannot be undone).\n`,
      );
      return 1;
    }
    io.stdout.write(`Removed the demo set: ${described(await removeDemoSet(db))}.\n`);
    return 0;
  } finally {
    await closeDatabase(db);
  }
};

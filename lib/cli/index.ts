import { closeDatabase } from "@/db/client";
import { getLeaderboard } from "@/lib/arena/leaderboard";
import { leaderboardSettings } from "@/lib/env";
import { createAdmin, recompute, removeAdminCommand } from "./admin";
import { cliDb } from "./db";
import { removeDemoCommand } from "./demo";
import { exportBattlesCommand } from "./export";
import { importBattlesCommand, importCommand } from "./import";
import type { CliIo, Command } from "./io";
import { runLeaderboard } from "./leaderboard";
import { migrateCommand } from "./migrate";
import { reclassifyCommand } from "./reclassify";

export type { CliIo } from "./io";

const COMMANDS: Record<string, { run: Command; help: string }> = {
  "create-admin": {
    run: createAdmin,
    help: "create-admin --email E [--password P]   add an admin (or reset their password)",
  },
  "remove-admin": {
    run: removeAdminCommand,
    help: "remove-admin --email E                  remove an admin and sign out their sessions",
  },
  leaderboard: {
    run: (argv, io) =>
      runLeaderboard(argv, io, {
        async leaderboardFromDatabase(opts) {
          const db = await cliDb();
          try {
            return await getLeaderboard(db, opts, leaderboardSettings());
          } finally {
            await closeDatabase(db);
          }
        },
      }),
    help: "leaderboard [--battles FILE] [--category C] [--format table|json|csv] [--ci bootstrap|sandwich] [--deprecated] [--bootstrap N] [--anchor MODEL=RATING] [--seed S]",
  },
  import: {
    run: importCommand,
    help: "import FILE [--format F] [--votes] [--dry-run]   load prompts and responses (and votes with --votes)",
  },
  "import-battles": {
    run: importBattlesCommand,
    help: "import-battles FILE [--dry-run]   load FastChat battles (CSV or clean_battle JSON) as votes",
  },
  "export-battles": {
    run: exportBattlesCommand,
    help: "export-battles [--format fastchat|csv] [--out FILE]   every voted battle, FastChat clean_battle JSON or CSV",
  },
  "remove-demo": {
    run: removeDemoCommand,
    help: "remove-demo [--yes]                     remove the demo set (its prompts, votes and models); without --yes, only say what it holds",
  },
  migrate: {
    run: migrateCommand,
    help: "migrate [--check]                       apply pending migrations (--check: only say whether any are pending; exit 1 if so)",
  },
  reclassify: {
    run: reclassifyCommand,
    help: "reclassify                              put every prompt through the current classifier again and move its votes' tallies with it",
  },
  recompute: {
    run: recompute,
    help: "recompute                               rebuild the tallies from the battles",
  },
};

function usage(io: CliIo): void {
  io.stdout.write("usage: npm run arena -- <command> [options]\n\ncommands:\n");
  for (const { help } of Object.values(COMMANDS)) io.stdout.write(`  ${help}\n`);
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    usage(io);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`unknown command "${name}"\n`);
    usage(io);
    return 2;
  }
  return command.run(rest, io);
}

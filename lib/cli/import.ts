import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { closeDatabase } from "@/db/client";
import { importFile } from "@/lib/arena/import-file";
import { env } from "@/lib/env";
import { isArenaError } from "@/lib/errors";
import { IMPORT_FORMATS, type ImportFormat, isImportError } from "@/lib/import/parse";
import { cliDb } from "./db";
import type { CliIo, Command } from "./io";

async function runImport(
  argv: string[],
  io: CliIo,
  votesByDefault: boolean,
  usage: string,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: "string", default: "auto" },
      votes: { type: "boolean", default: votesByDefault },
      "dry-run": { type: "boolean", default: false },
    },
  });
  const file = positionals[0];
  if (!file || positionals.length > 1) {
    io.stderr.write(`usage: ${usage}\n`);
    return 2;
  }
  if (values.format !== "auto" && !IMPORT_FORMATS.includes(values.format as ImportFormat)) {
    io.stderr.write(`--format must be auto or one of ${IMPORT_FORMATS.join(", ")}\n`);
    return 2;
  }
  if (!fs.existsSync(file)) {
    io.stderr.write(`${file}: no such file\n`);
    return 1;
  }
  const started = performance.now();
  const db = await cliDb();
  try {
    // streamed from the file in batches, validated whole before anything is written
    const s = await importFile(db, file, {
      source: path.basename(file),
      fileName: path.basename(file),
      dryRun: values["dry-run"],
      parse: {
        format: values.format as ImportFormat | "auto",
        votes: values.votes,
        fileName: path.basename(file),
        maxTextBytes: env().IMPORT_MAX_TEXT_BYTES,
      },
    });
    const ms = Math.round(performance.now() - started);
    io.stdout.write(
      `${s.dryRun ? "Dry run (nothing written): would import" : "Imported"} ${s.imported.prompts} prompts, ${s.imported.responses} responses, ` +
        `${s.imported.models} new models, ${s.imported.votes} votes from ${s.records} ${s.format} records ` +
        `(${s.skipped} skipped) in ${ms} ms\n`,
    );
    return 0;
  } catch (e) {
    if (isImportError(e)) {
      io.stderr.write(`${file}: ${e.message}\nNothing was imported.\n`);
      return 1;
    }
    if (!isArenaError(e) || e.code !== "import_running") throw e;
    io.stderr.write(`${e.message}\nNothing was imported.\n`);
    return 1;
  } finally {
    await closeDatabase(db);
  }
}

/** `import FILE [--format F] [--votes] [--dry-run]`: any supported prompt/response or vote file. */
export const importCommand: Command = (argv, io) =>
  runImport(
    argv,
    io,
    false,
    "arena import FILE [--format auto|prompt-set|response-rows|battles|votes] [--votes] [--dry-run]",
  );

/** `import-battles FILE [--dry-run]`: battles with or without text, their winners recorded as votes. */
export const importBattlesCommand: Command = (argv, io) =>
  runImport(argv, io, true, "arena import-battles FILE [--format auto|battles|votes] [--dry-run]");

import fs from "node:fs";
import { parseArgs } from "node:util";
import { closeDatabase } from "@/db/client";
import { type ExportFormat, exportBattles } from "@/lib/arena/export/battles";
import { cliDb } from "./db";
import type { Command } from "./io";

/** Chunks of the export that are not battles: CSV's header row; JSON's opening `[` and closing `]`. */
const FRAMING_CHUNKS: Record<ExportFormat, number> = { csv: 1, fastchat: 2 };

/** `export-battles [--format fastchat|csv] [--out FILE]`: to stdout unless --out is given. */
export const exportBattlesCommand: Command = async (argv, io) => {
  const { values } = parseArgs({
    args: argv,
    options: { format: { type: "string", default: "fastchat" }, out: { type: "string" } },
  });
  if (values.format !== "fastchat" && values.format !== "csv") {
    io.stderr.write(`--format must be fastchat or csv, not "${values.format}"\n`);
    return 2;
  }
  const db = await cliDb();
  const out = values.out ? fs.createWriteStream(values.out) : null;
  try {
    const format = values.format as ExportFormat;
    let chunks = 0;
    for await (const chunk of exportBattles(db, format)) {
      chunks++;
      if (out) {
        if (!out.write(chunk)) await new Promise<void>((r) => out.once("drain", () => r()));
      } else io.stdout.write(chunk);
    }
    if (out) {
      await new Promise<void>((resolve, reject) =>
        out.end((e?: Error | null) => (e ? reject(e) : resolve())),
      );
      io.stderr.write(
        `Wrote ${Math.max(0, chunks - FRAMING_CHUNKS[format])} battles to ${values.out}\n`,
      );
    }
    return 0;
  } finally {
    await closeDatabase(db);
  }
};

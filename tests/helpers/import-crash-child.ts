/**
 * Run as its own process by lib/arena/import-recovery.test.ts: starts an import of the
 * fixture's file into the given database and SIGKILLs itself after `killAt` batches of votes,
 * the way a crash leaves an import: `running`, half-written, owned by a process that is gone.
 *
 *   node --import tsx tests/helpers/import-crash-child.ts DB_URL KILL_AT [streamed FILE]
 *
 * DB_URL is a `file:` URL or a PostgreSQL one, of the dialect of the DATABASE_URL the child
 * inherits (which chooses its tables: db/schema.ts). `streamed`: the fixture's file is written
 * to FILE and read from disk in batches of 4 records (import-file.ts), as the server's worker
 * thread and the CLI import it, instead of parsed whole first.
 */
import fs from "node:fs";
import { openDatabase } from "@/db/client";
import { importFile } from "@/lib/arena/import-file";
import { writeImport } from "@/lib/arena/imports";
import { parseImport } from "@/lib/import/parse";
import { battlesFile } from "./import-fixture";

const [dbUrl, killAt, mode, streamedFile] = process.argv.slice(2);
const db = await openDatabase(dbUrl as string);
const opts = {
  source: "crash",
  sliceMs: 0,
  onBatch: (p: { phase: string; done: number }) => {
    if (p.phase === "votes" && p.done === Number(killAt)) process.kill(process.pid, "SIGKILL");
  },
};
if (mode === "streamed") {
  const file = streamedFile as string;
  fs.writeFileSync(file, battlesFile(24));
  await importFile(db, file, {
    ...opts,
    batchRecords: 4,
    parse: { votes: true, fileName: "crash.jsonl" },
  });
} else {
  const parsed = await parseImport(battlesFile(24), { votes: true, fileName: "crash.jsonl" });
  await writeImport(db, parsed, opts);
}
console.error("the import finished: it should have been killed half-way");
process.exit(1);

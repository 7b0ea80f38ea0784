/**
 * Run as its own process by lib/arena/import-recovery.test.ts: starts an import of the
 * fixture's file into the given database and SIGKILLs itself after `killAt` batches of votes,
 * the way a crash leaves an import: `running`, half-written, owned by a process that is gone.
 *
 *   node --import tsx tests/helpers/import-crash-child.ts DB_FILE KILL_AT
 */
import { openDatabase } from "@/db/client";
import { writeImport } from "@/lib/arena/imports";
import { parseImport } from "@/lib/import/parse";
import { battlesFile } from "./import-fixture";

const [dbFile, killAt] = process.argv.slice(2);
const db = openDatabase(`file:${dbFile}`);
const parsed = await parseImport(battlesFile(24), { votes: true, fileName: "crash.jsonl" });
await writeImport(db, parsed, {
  source: "crash",
  sliceMs: 0,
  onBatch: (p) => {
    if (p.phase === "votes" && p.done === Number(killAt)) process.kill(process.pid, "SIGKILL");
  },
});
console.error("the import finished: it should have been killed half-way");
process.exit(1);

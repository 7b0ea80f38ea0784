/**
 * An admin import, written while voting goes on: in slices of a few milliseconds, each its own
 * short transaction with a yield to the event loop between, and still all or nothing — the
 * rows are tagged and pending until one short commit makes them all visible at once, and a
 * failure (or a crash, found at the next start) deletes them again. The invariant is written
 * out in import-visibility.ts; the row of the `imports` table that serialises imports is
 * import-runs.ts; the order of the writes is import-writer.ts.
 */
import type { ArenaDb } from "@/db/client";
import { databaseError } from "@/db/errors";
import type { ImportBatch, ImportFormat, ImportTotals, ParsedImport } from "@/lib/import/parse";
import { recoverAbandonedImports, rollBackImport, settleImport } from "./import-cleanup";
import {
  assertNoImportRunning,
  beginImport,
  ImportLostError,
  type ImportRun,
  markImportDone,
  releaseImport,
} from "./import-runs";
import { DryStore } from "./import-store-dry";
import { LiveStore } from "./import-store-live";
import {
  type ImportStore,
  modelSlugsOf,
  RecordWriter,
  type WriteOptions,
  type WrittenCounts,
} from "./import-writer";
import { addToTallies } from "./tallies";

export type { ImportProgress } from "./import-runs";

export interface ImportSummary {
  format: ImportFormat;
  dryRun: boolean;
  records: number;
  imported: { prompts: number; responses: number; models: number; votes: number };
  /** Records already present (same content) or repeated within the file. */
  skipped: number;
  errors: { message: string; line?: number; record?: number; field?: string }[];
}

export interface ImportOptions extends WriteOptions {
  source: string;
  fileName?: string;
  dryRun?: boolean;
  userEmail?: string;
}

/**
 * What the writer needs of a file: its totals and models (known before anything is written) and
 * a way to hand its records over, batch by batch, in file order.
 */
export interface ImportInput {
  totals: ImportTotals & { items: number; votes: number };
  /** Every model the file names, in order of first appearance. */
  slugs: string[];
  batches(onBatch: (batch: ImportBatch) => Promise<void>): Promise<unknown>;
}

/**
 * Writes a parsed file, or with `dryRun` only reports what it would add (the same counts, from
 * the same code, with nothing written). Refuses with `import_running` (409) while another import
 * runs. Resolves once the import is done; rejects, with nothing of it left, if it failed.
 */
export async function writeImport(
  db: ArenaDb,
  parsed: ParsedImport,
  opts: ImportOptions,
): Promise<ImportSummary> {
  const { items, votes, ...totals } = parsed;
  return writeInput(
    db,
    {
      totals: { ...totals, items: items.length, votes: votes.length },
      slugs: [...modelSlugsOf(parsed)],
      batches: (onBatch) => onBatch(parsed),
    },
    opts,
  );
}

/** Writes a file read in batches; see writeImport. */
export async function writeInput(
  db: ArenaDb,
  input: ImportInput,
  opts: ImportOptions,
): Promise<ImportSummary> {
  // An import a crashed process left half-written would make prompts look already present.
  await recoverAbandonedImports(db, opts);
  if (opts.dryRun) {
    await assertNoImportRunning(db, { evenAbandoned: true });
    return summarize(input, await writeBatches(input, new DryStore(db), opts), true);
  }
  const run = await beginImport(db, {
    fileName: opts.fileName,
    format: input.totals.format,
    userEmail: opts.userEmail,
  });
  let summary: ImportSummary;
  try {
    summary = await writeAndCommit(db, run, input, opts);
  } catch (caught) {
    // Taken over by another process, which rolls it back: nothing of ours to clean.
    if (caught instanceof ImportLostError) throw caught;
    // What the admin reads, in the import's row and the answer: the database's own words, not
    // drizzle's "Failed query: …" with a batch of the file as its parameters.
    const e = databaseError(caught);
    try {
      await rollBackImport(db, run, e instanceof Error ? e.message : String(e), opts);
    } catch (cleanup) {
      // Left `running` and no longer owned: the next start, or the next import, rolls it back.
      console.error(`import ${run.id}: the roll-back failed too`, cleanup);
    }
    throw e;
  } finally {
    await releaseImport(db, run);
  }
  try {
    await settleImport(db, run, opts);
  } catch (e) {
    // The import is done and counted either way; pending rows of a done import are visible.
    console.error(`import ${run.id}: clearing the pending flags failed`, e);
  }
  return summary;
}

async function writeBatches(
  input: ImportInput,
  store: ImportStore,
  opts: ImportOptions,
): Promise<WrittenCounts> {
  const writer = new RecordWriter(store, opts, input.totals);
  await writer.models(input.slugs);
  await input.batches((batch) => writer.write(batch));
  return writer.written();
}

async function writeAndCommit(
  db: ArenaDb,
  run: ImportRun,
  input: ImportInput,
  opts: ImportOptions,
): Promise<ImportSummary> {
  const written = await writeBatches(input, new LiveStore(db, run, opts.source), opts);
  const summary = summarize(input, written, false);
  // The commit: the aggregated tallies and `done` in one short transaction, so the import's
  // votes count and its responses are drawn from the same instant (import-visibility.ts).
  await db.transaction(
    async (tx) => {
      await addToTallies(tx, written.cells);
      await markImportDone(tx, run, summary);
    },
    { behavior: "immediate" },
  );
  return summary;
}

function summarize(input: ImportInput, w: WrittenCounts, dryRun: boolean): ImportSummary {
  const { totals } = input;
  return {
    format: totals.format,
    dryRun,
    records: totals.records,
    imported: {
      prompts: w.prompts,
      responses: w.responses,
      models: w.models,
      votes: w.votes.added,
    },
    skipped:
      totals.skipped +
      (totals.format === "votes" ? 0 : countUnchanged(w, totals)) +
      w.votes.existing,
    errors: [],
  };
}

/** Prompt records that added neither a prompt nor a response were already in the database. */
function countUnchanged(
  counts: { prompts: number; responses: number },
  totals: ImportInput["totals"],
): number {
  if (totals.format === "battles" && totals.votes > 0) return 0;
  return counts.prompts === 0 && counts.responses === 0 ? totals.items : 0;
}

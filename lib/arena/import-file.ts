/**
 * An import of a file on disk with memory bounded whatever its size: the file is read twice,
 * each time streamed through the parser in batches. The first read only validates (and learns
 * the totals and the models), so a bad record anywhere — the last line included — refuses the
 * file before anything is written, exactly as when the whole file was parsed first; the second
 * read hands each batch to the writer and forgets it. Memory holds one batch, the writer's small
 * state and the parser's fingerprints of records seen, never the file.
 */
import fs from "node:fs";
import type { ArenaDb } from "@/db/client";
import {
  type ImportBatch,
  type ImportOptions as ParseOptions,
  streamImport,
} from "@/lib/import/parse";
import { modelSlugsOf } from "./import-writer";
import { type ImportOptions, type ImportSummary, writeInput } from "./imports";

/** Records per batch: a few MB of votes, and far fewer than a large file's. */
export const BATCH_RECORDS = 5_000;

export interface FileImportOptions extends ImportOptions {
  parse: ParseOptions;
  batchRecords?: number;
}

export async function importFile(
  db: ArenaDb,
  file: string,
  opts: FileImportOptions,
): Promise<ImportSummary> {
  const read = (onBatch: (batch: ImportBatch) => void | Promise<void>) =>
    streamImport(fs.createReadStream(file, { highWaterMark: 1 << 20 }), opts.parse, onBatch, {
      batchRecords: opts.batchRecords ?? BATCH_RECORDS,
    });
  const slugs = new Set<string>();
  let items = 0;
  let votes = 0;
  const totals = await read((batch) => {
    modelSlugsOf(batch, slugs);
    items += batch.items.length;
    votes += batch.votes.length;
  });
  return writeInput(
    db,
    { totals: { ...totals, items, votes }, slugs: [...slugs], batches: read },
    opts,
  );
}

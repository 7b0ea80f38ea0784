/**
 * The admin import's file layer: an uploaded file in, validated and normalized records out,
 * or one ImportError naming the first thing wrong. Pure: no database. The text streams
 * through (decode → container → records → format), so memory holds the output and about one
 * chunk of input, and a bad file is refused at its first bad record.
 */
import { pacer } from "@/lib/time-slices";
import { formatFromFields, unknownFormat } from "./detect";
import { ImportError } from "./errors";
import { FORMATS } from "./formats";
import type { CollectedBatch, FormatSpec } from "./formats/types";
import {
  chooseContainer,
  jsonArrayRecords,
  jsonlRecords,
  openCsv,
  type RawRecord,
} from "./records";
import { DEFAULT_MAX_BYTES, decodeSource, type ImportSource, peekFirstChar } from "./text";
import { checkTextSizes, DEFAULT_MAX_TEXT_BYTES } from "./text-size";
import type {
  Container,
  HistoricalVote,
  ImportFormat,
  ImportOptions,
  ParsedImport,
  PromptItem,
} from "./types";
import { IMPORT_FORMATS } from "./types";

export { ImportError, type ImportErrorCode, isImportError } from "./errors";
export { DEFAULT_MAX_BYTES, type ImportSource } from "./text";
export { DEFAULT_MAX_TEXT_BYTES } from "./text-size";
export type {
  Container,
  HistoricalVote,
  ImportFormat,
  ImportOptions,
  ParsedImport,
} from "./types";
export { IMPORT_FORMATS } from "./types";

/** A slice of a file's output, handed over as it is read; votes' `item` index into its items. */
export type ImportBatch = CollectedBatch;

/** What a streamed read tells once the whole file is read: all but the records themselves. */
export type ImportTotals = Omit<ParsedImport, "items" | "votes">;

export interface StreamOptions {
  /** Hand a batch over once this many items and votes are collected (formats that allow it). */
  batchRecords?: number;
}

/**
 * Reads a whole file. `source` is the file's text, or its bytes/text as an async iterable
 * (a Node Readable, `request.body`, a list of chunks). Resolves with everything in it, or
 * rejects with an ImportError for anything wrong with the file (any other error is a bug,
 * or the source's own, e.g. an aborted upload, passed through). Stops reading the source at
 * the first problem.
 */
export async function parseImport(
  source: ImportSource,
  opts: ImportOptions = {},
): Promise<ParsedImport> {
  const items: PromptItem[] = [];
  const votes: HistoricalVote[] = [];
  const totals = await streamImport(source, opts, (batch) => {
    const offset = items.length;
    for (const item of batch.items) items.push(item);
    for (const v of batch.votes)
      votes.push(v.item === undefined ? v : { ...v, item: v.item + offset });
  });
  return { ...totals, items, votes };
}

/**
 * Reads a file the way parseImport does, with the same checks and errors, but hands its output
 * over in batches as it goes (`onBatch`, awaited), so memory holds one batch and not the file.
 * A file may fail after some batches were handed over: a caller that must be all-or-nothing
 * reads it once to validate (with an `onBatch` that drops the batches) before writing anything.
 * `response-rows` comes in one batch at the end (its rows are grouped across the whole file).
 */
export async function streamImport(
  source: ImportSource,
  opts: ImportOptions,
  onBatch: (batch: ImportBatch) => void | Promise<void>,
  stream: StreamOptions = {},
): Promise<ImportTotals> {
  const forced = opts.format === undefined || opts.format === "auto" ? undefined : opts.format;
  if (forced !== undefined && !IMPORT_FORMATS.includes(forced)) {
    throw new ImportError(
      `unknown format "${forced}": expected auto or ${IMPORT_FORMATS.join(", ")}`,
      {
        code: "unknown_format",
      },
    );
  }
  const { first, text } = await peekFirstChar(
    decodeSource(source, opts.maxBytes ?? DEFAULT_MAX_BYTES),
  );
  if (first === undefined) throw new ImportError("the file is empty", { code: "empty" });
  const container = chooseContainer(first, opts.fileName);
  try {
    return await readRecords(text, container, forced, {
      withVotes: opts.votes === true,
      maxTextBytes: opts.maxTextBytes ?? DEFAULT_MAX_TEXT_BYTES,
      batchRecords: stream.batchRecords ?? Number.POSITIVE_INFINITY,
      onBatch,
    });
  } finally {
    // on an early refusal, stop reading: the rest of the upload is not needed
    await text.return(undefined);
  }
}

async function readRecords(
  text: AsyncGenerator<string>,
  container: Container,
  forced: ImportFormat | undefined,
  o: {
    withVotes: boolean;
    maxTextBytes: number;
    batchRecords: number;
    onBatch: (batch: ImportBatch) => void | Promise<void>;
  },
): Promise<ImportTotals> {
  let records: AsyncGenerator<RawRecord>;
  let columns: string[] | undefined;
  let headerLine = 1;
  if (container === "csv") {
    const table = await openCsv(text);
    columns = table.columns;
    headerLine = table.headerLine;
    records = table.records;
  } else {
    records = container === "json" ? jsonArrayRecords(text) : jsonlRecords(text);
  }

  const head = await records.next();
  if (head.done && columns === undefined) {
    throw new ImportError("the file has no records", { code: "empty" });
  }
  const fields = columns ?? (head.done ? [] : Object.keys(head.value.value));
  const format = forced ?? formatFromFields(fields);
  if (format === null) throw unknownFormat(fields, columns !== undefined);
  const spec = FORMATS[format];
  if (columns !== undefined) checkCsvHeader(spec, columns, headerLine);
  if (head.done) throw new ImportError("the file has no records, only a header", { code: "empty" });

  const collector = spec.collector({ votes: o.withVotes });
  const add = async (record: RawRecord) => {
    checkTextSizes(record.value, record.at, o.maxTextBytes);
    collector.add(record);
    if (collector.drain && collector.pending >= o.batchRecords) await o.onBatch(collector.drain());
  };
  let count = 1;
  await add(head.value);
  // An upload that arrived faster than it parses is all buffered: the loop below would then
  // never wait for I/O and hold the event loop for seconds. Pause every few ms instead.
  const pause = pacer();
  for await (const record of records) {
    await add(record);
    count++;
    const due = pause.pace();
    if (due) await due;
  }
  const { items, votes, skipped } = collector.finish();
  if (items.length > 0 || votes.length > 0) await o.onBatch({ items, votes });
  return { format, container, records: count, skipped };
}

function checkCsvHeader(spec: FormatSpec, columns: string[], line: number): void {
  if (spec.csvColumns === undefined) {
    throw new ImportError(`a ${spec.format} file must be JSONL or a JSON array, not CSV`, {
      code: "unknown_format",
    });
  }
  const missing = spec.csvColumns.filter((c) => !columns.includes(c));
  if (missing.length > 0) {
    throw new ImportError(
      `line ${line}: the CSV header has no column ${missing.map((c) => `"${c}"`).join(", ")} ` +
        `(a ${spec.format} file needs ${spec.csvColumns.join(", ")}; ` +
        `the header has ${columns.filter(Boolean).join(", ")})`,
      { line, field: missing[0] },
    );
  }
}

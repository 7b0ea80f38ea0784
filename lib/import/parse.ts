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
import type { FormatSpec } from "./formats/types";
import {
  chooseContainer,
  jsonArrayRecords,
  jsonlRecords,
  openCsv,
  type RawRecord,
} from "./records";
import { DEFAULT_MAX_BYTES, decodeSource, type ImportSource, peekFirstChar } from "./text";
import { checkTextSizes, DEFAULT_MAX_TEXT_BYTES } from "./text-size";
import type { Container, ImportFormat, ImportOptions, ParsedImport } from "./types";
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
    return await readRecords(
      text,
      container,
      forced,
      opts.votes === true,
      opts.maxTextBytes ?? DEFAULT_MAX_TEXT_BYTES,
    );
  } finally {
    // on an early refusal, stop reading: the rest of the upload is not needed
    await text.return(undefined);
  }
}

async function readRecords(
  text: AsyncGenerator<string>,
  container: Container,
  forced: ImportFormat | undefined,
  withVotes: boolean,
  maxTextBytes: number,
): Promise<ParsedImport> {
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

  const collector = spec.collector({ votes: withVotes });
  const add = (record: RawRecord) => {
    checkTextSizes(record.value, record.at, maxTextBytes);
    collector.add(record);
  };
  let count = 1;
  add(head.value);
  // An upload that arrived faster than it parses is all buffered: the loop below would then
  // never wait for I/O and hold the event loop for seconds. Pause every few ms instead.
  const pause = pacer();
  for await (const record of records) {
    add(record);
    count++;
    const due = pause.pace();
    if (due) await due;
  }
  return { format, container, ...collector.finish(), records: count };
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

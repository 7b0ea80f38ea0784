/**
 * The three containers a file can come in (JSONL, a JSON array, CSV with a header), each
 * turned into the same stream of plain records with their position, so the formats never
 * care which container they were read from.
 */
import { csvRows } from "./csv";
import { unneutralizeCsvText } from "./csv-write";
import { ImportError, type Position, recordError } from "./errors";
import { fieldPath } from "./fields";
import { jsonArrayElements } from "./json-array";
import { countNewlines, splitLines } from "./lines";

export type Container = "jsonl" | "json" | "csv";

export interface RawRecord {
  value: Record<string, unknown>;
  at: Position;
  /** The record as written (JSON text, or the CSV row's cells), to fingerprint it cheaply. */
  source: string | readonly string[];
}

/**
 * The container, from the file's first non-whitespace character: `[` is a JSON array, `{` is
 * JSONL, anything else CSV. A `.csv`, `.jsonl` or `.ndjson` name wins over the content, so
 * such a file with the wrong content gets an error about its records, not a wrong guess.
 */
export function chooseContainer(firstChar: string | undefined, fileName?: string): Container {
  const ext = fileName?.toLowerCase().match(/\.([a-z]+)$/)?.[1];
  if (ext === "csv") return "csv";
  if (ext === "jsonl" || ext === "ndjson") return "jsonl";
  if (firstChar === "[") return "json";
  if (firstChar === "{") return "jsonl";
  return "csv";
}

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return `a ${typeof v}`;
}

function asRecord(value: unknown, at: Position): Record<string, unknown> {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    return value as Record<string, unknown>;
  }
  throw recordError(at, `a record must be a JSON object, not ${typeName(value)}`);
}

/**
 * Where a parsed JSON value holds a NUL character (written `\u0000`), else null. No text the
 * arena keeps has one, and PostgreSQL refuses it outright: the file is refused at its record.
 */
function nulPath(value: unknown, path: PropertyKey[] = []): PropertyKey[] | null {
  if (typeof value === "string") return value.includes("\0") ? path : null;
  if (typeof value !== "object" || value === null) return null;
  for (const [k, v] of Object.entries(value)) {
    const key = Array.isArray(value) ? Number(k) : k;
    if (k.includes("\0")) return [...path, key];
    const found = nulPath(v, [...path, key]);
    if (found) return found;
  }
  return null;
}

/** JSON.parse, with its complaint turned into an ImportError at the right line. */
export function parseJson(text: string, at: Position, lastLine = false): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const offset = Number(/at position (\d+)/.exec(message)?.[1] ?? Number.NaN);
    const cutOff =
      /end of JSON input|Unterminated string/.test(message) || offset >= text.trimEnd().length;
    const line = Number.isNaN(offset) ? at.line : at.line + countNewlines(text, 0, offset);
    if (cutOff && lastLine) {
      throw new ImportError(`the JSON ends early at line ${line} (the file looks cut off)`, {
        line,
        record: at.record,
      });
    }
    const hint =
      at.by === "line" && text.trim() === "{"
        ? " (a JSONL file has one whole JSON object per line; a pretty-printed file must be a JSON array)"
        : "";
    throw recordError({ ...at, line }, `not valid JSON: ${message}${hint}`);
  }
  // Only a record whose text spells the escape can hold a NUL (the bytes were checked before).
  const nul = text.includes("\\u0000") ? nulPath(value) : null;
  if (nul)
    throw recordError(at, "holds a NUL character (\\u0000), which no text may", fieldPath(nul));
  return value;
}

export async function* jsonlRecords(text: AsyncIterable<string>): AsyncGenerator<RawRecord> {
  let record = 0;
  for await (const l of splitLines(text)) {
    if (!/\S/.test(l.text)) continue;
    const at: Position = { line: l.line, record: ++record, by: "line" };
    yield { value: asRecord(parseJson(l.text, at, !l.terminated), at), at, source: l.text };
  }
}

export async function* jsonArrayRecords(text: AsyncIterable<string>): AsyncGenerator<RawRecord> {
  for await (const el of jsonArrayElements(text)) {
    const at: Position = { line: el.line, record: el.record, by: "record" };
    yield { value: asRecord(parseJson(el.text, at), at), at, source: el.text };
  }
}

export interface CsvTable {
  /** Header names, trimmed and lower-cased; an empty name marks a column that is ignored. */
  columns: string[];
  /** Usually 1; later if blank lines come first. */
  headerLine: number;
  records: AsyncGenerator<RawRecord>;
}

/** Reads the header row, then yields one record per row keyed by the header's names. */
export async function openCsv(text: AsyncIterable<string>): Promise<CsvTable> {
  const rows = csvRows(text);
  const first = await rows.next();
  // the caller has already checked that the file has some non-whitespace text
  if (first.done) throw new ImportError("the file is empty", { code: "empty" });
  const columns = first.value.fields.map((c) => c.trim().toLowerCase());
  const seen = new Set<string>();
  for (const c of columns) {
    if (c !== "" && seen.has(c)) {
      throw new ImportError(`line ${first.value.line}: the CSV header names column "${c}" twice`, {
        line: first.value.line,
      });
    }
    seen.add(c);
  }
  async function* records(): AsyncGenerator<RawRecord> {
    let record = 0;
    for await (const row of rows) {
      const at: Position = { line: row.line, record: ++record, by: "line" };
      if (row.fields.length !== columns.length) {
        throw recordError(
          at,
          `expected ${columns.length} columns (${columns.join(", ")}) but found ${row.fields.length}`,
        );
      }
      // no prototype: a column named __proto__ stays an ordinary key
      const value: Record<string, unknown> = Object.create(null);
      for (let i = 0; i < columns.length; i++) {
        const name = columns[i] as string;
        // a cell our CSV export guarded against formula injection (`'=…`) reads back as written
        if (name !== "") value[name] = unneutralizeCsvText(row.fields[i] as string);
      }
      yield { value, at, source: row.fields };
    }
  }
  return { columns, headerLine: first.value.line, records: records() };
}

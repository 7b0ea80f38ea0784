/**
 * The one error the import layer throws. It names where the file went wrong (line, record,
 * field) so an admin can fix the file, and carries a code so a route can pick the HTTP status
 * (`too_large` → 413, everything else → 400) without parsing the message.
 */
export type ImportErrorCode =
  /** zero bytes, or only whitespace / a byte-order mark */
  | "empty"
  /** NUL bytes or invalid UTF-8 */
  | "not_text"
  /** more than `maxBytes` */
  | "too_large"
  /** no known format matches the first record (or the forced format cannot be read from this file) */
  | "unknown_format"
  /** a record, a line, the CSV header or the JSON syntax is wrong */
  | "invalid";

/** Where a record sits in the file: 1-based line, 1-based record ordinal, and how to name it. */
export interface Position {
  line: number;
  record: number;
  /** JSONL and CSV name records by line; JSON arrays by record (with the line as a hint). */
  by: "line" | "record";
}

export class ImportError extends Error {
  readonly code: ImportErrorCode;
  /** 1-based line where the offending record starts. */
  readonly line?: number;
  /** 1-based ordinal of the offending record (the header of a CSV is not a record). */
  readonly record?: number;
  /** Path of the offending field, e.g. `winner`, `responses.gpt-4`, `turns[1]`. */
  readonly field?: string;

  constructor(
    message: string,
    opts: { code?: ImportErrorCode; line?: number; record?: number; field?: string } = {},
  ) {
    super(message);
    this.name = "ImportError";
    this.code = opts.code ?? "invalid";
    this.line = opts.line;
    this.record = opts.record;
    this.field = opts.field;
  }

  /** The details a JSON error body can carry next to the message. */
  toJSON(): { code: ImportErrorCode; line?: number; record?: number; field?: string } {
    return { code: this.code, line: this.line, record: this.record, field: this.field };
  }
}

export function describePosition(at: Position): string {
  return at.by === "line" ? `line ${at.line}` : `record ${at.record} (line ${at.line})`;
}

/** `line 17, field "winner": "modelx" is not one of …` or `line 17: …` without a field. */
export function recordError(at: Position, detail: string, field?: string): ImportError {
  const where = describePosition(at);
  const message =
    field === undefined ? `${where}: ${detail}` : `${where}, field "${field}": ${detail}`;
  return new ImportError(message, { line: at.line, record: at.record, field });
}

export function isImportError(e: unknown): e is ImportError {
  return e instanceof ImportError;
}

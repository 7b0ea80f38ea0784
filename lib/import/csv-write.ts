/**
 * Every CSV the app and the CLI write goes through `csvRow`, so every cell is quoted the same
 * way (RFC 4180) and no text cell can run as a spreadsheet formula.
 *
 * Formula injection (OWASP "CSV Injection"): a spreadsheet opening the file runs a cell that
 * starts with `=`, `+`, `-` or `@` (and, in some, a tab or carriage return) as a formula, so a
 * model named `=HYPERLINK("http://…","x")` would become a live link in an admin's spreadsheet.
 * Such a text cell gets a leading `'`, which spreadsheets show as text, and is always quoted.
 *
 * The column's type decides, not the look of the value: cells given as numbers (ratings,
 * deltas, counts, timestamps) are written as plain numbers, negative ones included, so they stay
 * numbers in a spreadsheet; text is always checked, so a model named `-1` is still neutralised.
 *
 * The prefix is reversible: the import strips it again (`unneutralizeCsvText`), so an export
 * re-imports to the same text. A text already starting with quotes before such a character gets
 * one more quote, so stripping one on the way in always gives back the original.
 */

/** A number written with fixed decimals (e.g. a rating to 2 places): still a number cell. */
export interface CsvNumber {
  readonly csvNumber: string;
}

export type CsvCell = string | number | boolean | null | undefined | CsvNumber;

const FORMULA_START = /^'*[=+\-@\t\r]/;
const NEUTRALIZED = /^'+[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** `n` to `digits` decimals; an empty cell when it is not finite (e.g. a bound with no votes). */
export function csvFixed(n: number, digits: number): CsvNumber | null {
  return Number.isFinite(n) ? { csvNumber: n.toFixed(digits) } : null;
}

function quote(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

/** One text cell, neutralised when a spreadsheet would read it as a formula. */
export function csvText(s: string): string {
  if (FORMULA_START.test(s)) return quote(`'${s}`);
  return NEEDS_QUOTES.test(s) ? quote(s) : s;
}

export function csvCell(v: CsvCell): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return csvText(v);
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "";
  if (typeof v === "boolean") return String(v);
  return v.csvNumber;
}

/** One CSV line, without its line ending. */
export function csvRow(cells: readonly CsvCell[]): string {
  return cells.map(csvCell).join(",");
}

/** The inverse of the neutralisation, for a cell read from a CSV file. */
export function unneutralizeCsvText(s: string): string {
  return NEUTRALIZED.test(s) ? s.slice(1) : s;
}

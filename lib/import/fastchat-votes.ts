/**
 * FastChat votes in, ranking input out: a CSV with `model_a,model_b,winner` columns (any order,
 * other columns ignored, RFC 4180 quoting) or FastChat's clean_battle JSON (an array of
 * records) or JSON Lines. Works on the file's text so it stays free of I/O; a million-row CSV
 * parses in a few hundred milliseconds because the common unquoted line is cut with indexOf
 * and only lines containing a quote go through the full CSV state machine.
 *
 * Bad input is rejected whole, with the line and field: a leaderboard silently computed from
 * part of a file would be wrong without anyone noticing.
 */
import { type Matchup, OUTCOME, type VoteSequence } from "../ranking/types";
import { unneutralizeCsvText } from "./csv-write";
import { fastChatCategories } from "./fastchat-categories";

export const WINNERS = ["model_a", "model_b", "tie", "tie (bothbad)"] as const;
export type FastChatWinner = (typeof WINNERS)[number];
export const OVERALL = "overall";

export type VotesFormat = "csv" | "json" | "jsonl";

export interface ParsedVotes {
  format: VotesFormat;
  /**
   * Model names in FastChat's order — pd.factorize over model_a then model_b: first seen as
   * model_a, then those only ever seen as model_b. Indices in `matchups` and `votes` refer to
   * this list, so tables and outputs list models in the order FastChat's notebooks do.
   */
  models: string[];
  /** Outcome counts per ordered (model_a, model_b) pair, sorted by (a, b). */
  matchups: Matchup[];
  /** The votes in file order, for online Elo. */
  votes: { a: Int32Array; b: Int32Array; outcome: Uint8Array } & VoteSequence;
  /** Votes kept (after the category filter) and rows read. */
  total: number;
  rows: number;
  /** Whether the file carries category information at all. */
  hasCategories: boolean;
}

export interface ParseVotesOptions {
  /**
   * Keep only votes in this category: "overall" (default) keeps all. Matches a record's
   * `categories` (array or string) or `category` field, or its FastChat `category_tag`
   * ({"math_v0.1": {"math": true}} → math, 6+ criteria → hard-prompts, …). For a CSV, a
   * `category`/`categories` column whose value lists categories separated by `|`, `;` or `,`.
   */
  category?: string;
}

export class VotesParseError extends Error {
  constructor(
    message: string,
    readonly line?: number,
    readonly field?: string,
  ) {
    super(line === undefined ? message : `line ${line}: ${message}`);
    this.name = "VotesParseError";
  }
}

/** Collects votes, interns model names, and produces the result; shared by all formats. */
class VoteCollector {
  private readonly index = new Map<string, number>();
  private readonly names: string[] = [];
  private firstAsA: number[] = [];
  private firstAsB: number[] = [];
  private a = new Int32Array(1024);
  private b = new Int32Array(1024);
  private outcome = new Uint8Array(1024);
  count = 0;
  rows = 0;

  private intern(name: string, asA: boolean): number {
    let id = this.index.get(name);
    if (id === undefined) {
      id = this.names.length;
      // a copy, not a slice: in V8 a slice keeps the whole file's text alive
      const own = `${name} `.slice(0, -1);
      this.index.set(own, id);
      this.names.push(own);
      this.firstAsA.push(Number.POSITIVE_INFINITY);
      this.firstAsB.push(Number.POSITIVE_INFINITY);
    }
    if (asA) {
      if (this.firstAsA[id] === Number.POSITIVE_INFINITY) this.firstAsA[id] = this.count;
    } else if (this.firstAsB[id] === Number.POSITIVE_INFINITY) this.firstAsB[id] = this.count;
    return id;
  }

  /** Throws VotesParseError without a line if `line` is not given (the caller adds it). */
  add(modelA: string, modelB: string, winner: string, line?: number): void {
    if (modelA === "") throw new VotesParseError("model_a is empty", line, "model_a");
    if (modelB === "") throw new VotesParseError("model_b is empty", line, "model_b");
    if (modelA === modelB) {
      throw new VotesParseError(
        `model_b "${modelB}" is the same model as model_a`,
        line,
        "model_b",
      );
    }
    let o: number;
    if (winner === "model_a") o = OUTCOME.A;
    else if (winner === "model_b") o = OUTCOME.B;
    else if (winner === "tie") o = OUTCOME.TIE;
    else if (winner === "tie (bothbad)") o = OUTCOME.BOTH_BAD;
    else {
      throw new VotesParseError(
        `winner ${JSON.stringify(winner)} is not one of ${WINNERS.join(", ")}`,
        line,
        "winner",
      );
    }
    if (this.count === this.a.length) this.grow();
    const i = this.count;
    this.a[i] = this.intern(modelA, true);
    this.b[i] = this.intern(modelB, false);
    this.outcome[i] = o;
    this.count++;
  }

  private grow(): void {
    const size = this.a.length * 2;
    const a = new Int32Array(size);
    a.set(this.a);
    this.a = a;
    const b = new Int32Array(size);
    b.set(this.b);
    this.b = b;
    const o = new Uint8Array(size);
    o.set(this.outcome);
    this.outcome = o;
  }

  finish(format: VotesFormat, hasCategories: boolean): ParsedVotes {
    const n = this.names.length;
    // FastChat order: by first appearance as model_a, then by first appearance as model_b.
    const order = this.names.map((_, id) => id);
    order.sort((x, y) => {
      const ax = this.firstAsA[x] as number;
      const ay = this.firstAsA[y] as number;
      if (ax !== ay) return ax - ay;
      return (this.firstAsB[x] as number) - (this.firstAsB[y] as number);
    });
    const remap = new Int32Array(n);
    order.forEach((id, pos) => {
      remap[id] = pos;
    });
    const count = this.count;
    const a = new Int32Array(count);
    const b = new Int32Array(count);
    const outcome = this.outcome.slice(0, count);
    for (let v = 0; v < count; v++) {
      a[v] = remap[this.a[v] as number] as number;
      b[v] = remap[this.b[v] as number] as number;
    }
    return {
      format,
      models: order.map((id) => this.names[id] as string),
      matchups: tallyVotes(n, a, b, outcome),
      votes: { a, b, outcome },
      total: count,
      rows: this.rows,
      hasCategories,
    };
  }
}

/** Outcome counts per ordered pair from a vote sequence (dense for up to 1000 models). */
export function tallyVotes(
  n: number,
  a: Int32Array,
  b: Int32Array,
  outcome: Uint8Array,
): Matchup[] {
  const out: Matchup[] = [];
  const push = (key: number, c0: number, c1: number, c2: number, c3: number) => {
    out.push({ a: Math.floor(key / n), b: key % n, winsA: c0, winsB: c1, ties: c2, bothBad: c3 });
  };
  if (n <= 1000) {
    const cells = new Int32Array(n * n * 4);
    for (let v = 0; v < a.length; v++) {
      const cell = ((a[v] as number) * n + (b[v] as number)) * 4 + (outcome[v] as number);
      cells[cell] = (cells[cell] as number) + 1;
    }
    for (let key = 0; key < n * n; key++) {
      const c = key * 4;
      const c0 = cells[c] as number;
      const c1 = cells[c + 1] as number;
      const c2 = cells[c + 2] as number;
      const c3 = cells[c + 3] as number;
      if (c0 + c1 + c2 + c3 > 0) push(key, c0, c1, c2, c3);
    }
    return out;
  }
  const cells = new Map<number, [number, number, number, number]>();
  for (let v = 0; v < a.length; v++) {
    const key = (a[v] as number) * n + (b[v] as number);
    let c = cells.get(key);
    if (!c) {
      c = [0, 0, 0, 0];
      cells.set(key, c);
    }
    const o = outcome[v] as 0 | 1 | 2 | 3;
    c[o] += 1;
  }
  for (const key of [...cells.keys()].sort((x, y) => x - y)) {
    const c = cells.get(key) as [number, number, number, number];
    push(key, c[0], c[1], c[2], c[3]);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// CSV

/** Splits a CSV record starting at `pos` (RFC 4180); returns the fields and the next position. */
function readQuotedRecord(
  text: string,
  pos: number,
): { fields: string[]; next: number; lines: number } {
  const fields: string[] = [];
  let field = "";
  let lines = 0;
  let i = pos;
  const len = text.length;
  for (;;) {
    if (i < len && text.charCodeAt(i) === 34) {
      // quoted field: "" is a quote, anything else (commas, newlines) is literal
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new VotesParseError("unterminated quoted field");
        const chunk = text.slice(i, q);
        for (let c = chunk.indexOf("\n"); c >= 0; c = chunk.indexOf("\n", c + 1)) lines++;
        field += chunk;
        if (text.charCodeAt(q + 1) === 34) {
          field += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      // after the closing quote only a separator or the end of the record may follow
      while (i < len && text.charCodeAt(i) !== 44 && text.charCodeAt(i) !== 10) {
        if (text.charCodeAt(i) === 13 && (i + 1 === len || text.charCodeAt(i + 1) === 10)) {
          i++;
          continue;
        }
        throw new VotesParseError(
          `unexpected character after closing quote in field ${fields.length + 1}`,
        );
      }
    } else {
      let j = i;
      while (j < len) {
        const ch = text.charCodeAt(j);
        if (ch === 44 || ch === 10) break;
        if (ch === 34)
          throw new VotesParseError(`stray quote inside unquoted field ${fields.length + 1}`);
        j++;
      }
      field = text.slice(i, j);
      if (field.endsWith("\r") && (j === len || text.charCodeAt(j) === 10))
        field = field.slice(0, -1);
      i = j;
    }
    fields.push(field);
    field = "";
    if (i >= len) return { fields, next: len, lines };
    if (text.charCodeAt(i) === 10) return { fields, next: i + 1, lines: lines + 1 };
    i++; // comma
  }
}

function parseCsv(text: string, category: string): ParsedVotes {
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let header: { fields: string[]; next: number; lines: number };
  try {
    header = readQuotedRecord(text, start);
  } catch (e) {
    throw e instanceof VotesParseError ? new VotesParseError(e.message, 1) : e;
  }
  const columns = header.fields.map((h) => h.trim());
  const col = (name: string) => columns.indexOf(name);
  const ia = col("model_a");
  const ib = col("model_b");
  const iw = col("winner");
  const missing = [
    ["model_a", ia],
    ["model_b", ib],
    ["winner", iw],
  ]
    .filter(([, i]) => i === -1)
    .map(([name]) => name);
  if (missing.length > 0) {
    throw new VotesParseError(
      `the header has no ${missing.join(", ")} column (found: ${columns.join(", ")}); a FastChat votes CSV needs model_a, model_b and winner`,
      1,
    );
  }
  const ic = col("category") >= 0 ? col("category") : col("categories");
  const hasCategories = ic >= 0;
  if (category !== OVERALL && !hasCategories) {
    throw new VotesParseError(
      `category "${category}" was asked for, but this CSV has no category column: only "${OVERALL}" is available`,
    );
  }
  const filter = category !== OVERALL;
  const needed = Math.max(ia, ib, iw, ic);
  const wanted = [ia, ib, iw, ic];

  const out = new VoteCollector();
  line += header.lines;
  let pos = header.next;
  const len = text.length;
  let nextQuote = text.indexOf('"', pos);
  const values: string[] = ["", "", "", ""];

  while (pos < len) {
    let nl = text.indexOf("\n", pos);
    if (nl < 0) nl = len;
    let recordLine = line;
    if (nextQuote >= 0 && nextQuote < pos) nextQuote = text.indexOf('"', pos);
    if (nextQuote >= 0 && nextQuote < nl) {
      // slow path: a quote somewhere in this record (which may then span lines)
      let rec: { fields: string[]; next: number; lines: number };
      try {
        rec = readQuotedRecord(text, pos);
      } catch (e) {
        throw e instanceof VotesParseError ? new VotesParseError(e.message, line) : e;
      }
      recordLine = line;
      line += rec.lines;
      pos = rec.next;
      if (rec.fields.length === 1 && rec.fields[0] === "") continue;
      if (rec.fields.length <= needed) {
        throw new VotesParseError(
          `expected ${columns.length} fields, found ${rec.fields.length}`,
          recordLine,
        );
      }
      // a cell our export guarded against formula injection is always quoted, so only this
      // path needs to strip the guard (see csv-write.ts)
      for (let w = 0; w < 4; w++)
        values[w] =
          (wanted[w] as number) >= 0
            ? unneutralizeCsvText(rec.fields[wanted[w] as number] ?? "")
            : "";
    } else {
      // fast path: no quote on this line
      let end = nl;
      if (end > pos && text.charCodeAt(end - 1) === 13) end--;
      line++;
      const p0 = pos;
      pos = nl + 1;
      if (end === p0) continue; // blank line
      let fieldStart = p0;
      let f = 0;
      while (f <= needed) {
        let comma = text.indexOf(",", fieldStart);
        if (comma < 0 || comma > end) comma = end;
        for (let w = 0; w < 4; w++) {
          if (wanted[w] === f) {
            values[w] = text.slice(fieldStart, comma);
          }
        }
        f++;
        if (comma === end) break;
        fieldStart = comma + 1;
      }
      if (f <= needed) {
        throw new VotesParseError(`expected ${columns.length} fields, found ${f}`, recordLine);
      }
    }
    out.rows++;
    if (filter && !splitCategories(values[3] as string).includes(category)) continue;
    out.add(values[0] as string, values[1] as string, values[2] as string, recordLine);
  }
  return out.finish("csv", hasCategories);
}

function splitCategories(value: string): string[] {
  return value
    .split(/[|;,]/)
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

// ---------------------------------------------------------------------------------------------
// JSON (clean_battle) and JSON Lines

type JsonRecord = Record<string, unknown>;

function isRecord(v: unknown): v is JsonRecord {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Whether a record carries category information, and whether it is in `category`: its
 * `categories` (array or separated string) or `category` field, or FastChat's `category_tag`
 * read the way the app's import reads it (see fastchat-categories.ts), so the CLI and the
 * app agree on what "math" or "hard-prompts" means.
 */
function recordCategories(
  r: JsonRecord,
  category: string,
): { tagged: boolean; inCategory: boolean } {
  let tagged = false;
  let inCategory = false;
  const cats = r.categories ?? r.category;
  if (typeof cats === "string") {
    tagged = true;
    inCategory ||= splitCategories(cats).includes(category);
  } else if (Array.isArray(cats)) {
    tagged = true;
    inCategory ||= cats.some((c) => c === category);
  }
  if (isRecord(r.category_tag)) {
    tagged = true;
    inCategory ||= fastChatCategories(r.category_tag).includes(category);
  }
  return { tagged, inCategory };
}

function stringField(r: JsonRecord, name: string): string {
  const v = r[name];
  if (v === undefined) throw new VotesParseError(`${name} is missing`, undefined, name);
  if (typeof v !== "string") {
    throw new VotesParseError(
      `${name} must be a string, got ${JSON.stringify(v)}`,
      undefined,
      name,
    );
  }
  return v;
}

/**
 * `records` yields each record with its position (a line for JSON Lines, an element index for
 * an array); `lineOf` turns a position into the line reported in errors.
 */
function collectRecords(
  records: Iterable<[unknown, number]>,
  format: VotesFormat,
  category: string,
  lineOf: (position: number) => number,
): ParsedVotes {
  const out = new VoteCollector();
  let anyTagged = false;
  const filter = category !== OVERALL;
  for (const [r, position] of records) {
    try {
      if (!isRecord(r)) throw new VotesParseError("a vote must be a JSON object");
      out.rows++;
      const modelA = stringField(r, "model_a");
      const modelB = stringField(r, "model_b");
      const winner = stringField(r, "winner");
      if (filter) {
        const { tagged, inCategory } = recordCategories(r, category);
        anyTagged ||= tagged;
        if (!inCategory) continue;
      }
      out.add(modelA, modelB, winner);
    } catch (e) {
      if (e instanceof VotesParseError && e.line === undefined) {
        throw new VotesParseError(e.message, lineOf(position), e.field);
      }
      throw e;
    }
  }
  if (filter && !anyTagged) {
    throw new VotesParseError(
      `category "${category}" was asked for, but no record has category_tag or categories: only "${OVERALL}" is available`,
    );
  }
  return out.finish(format, anyTagged);
}

/** Line number (1-based) at which each top-level element of a JSON array starts. */
function arrayElementLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let expectElement = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10) line++;
    if (inString) {
      if (ch === 92) i++;
      else if (ch === 34) inString = false;
      continue;
    }
    if (ch === 32 || ch === 9 || ch === 13 || ch === 10) continue;
    if (depth === 1 && expectElement && ch !== 93) {
      lines.push(line);
      expectElement = false;
    }
    if (ch === 34) inString = true;
    else if (ch === 91 || ch === 123) {
      depth++;
      if (depth === 1) expectElement = true;
    } else if (ch === 93 || ch === 125) depth--;
    else if (ch === 44 && depth === 1) expectElement = true;
  }
  return lines;
}

function parseJsonArray(text: string, category: string): ParsedVotes {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new VotesParseError(`invalid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(data)) throw new VotesParseError("expected a JSON array of votes");
  const items: unknown[] = data;
  let lines: number[] | undefined;
  return collectRecords(
    items.map((item, k): [unknown, number] => [item, k]),
    "json",
    category,
    (k) => {
      lines ??= arrayElementLines(text);
      return lines[k] ?? k + 1;
    },
  );
}

function parseJsonLines(text: string, category: string): ParsedVotes {
  function* records(): Generator<[unknown, number]> {
    let line = 0;
    let pos = 0;
    while (pos <= text.length) {
      let nl = text.indexOf("\n", pos);
      if (nl < 0) nl = text.length;
      line++;
      const raw = text.slice(pos, nl).trim();
      pos = nl + 1;
      if (raw === "") continue;
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch (e) {
        throw new VotesParseError(`invalid JSON: ${(e as Error).message}`, line);
      }
      yield [value, line];
    }
  }
  return collectRecords(records(), "jsonl", category, (line) => line);
}

/** Detects the format from the content: `[` → JSON array, `{` → JSON Lines, else CSV. */
export function detectFormat(text: string): VotesFormat {
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === " " || ch === "\t" || ch === "\r" || ch === "\n" || ch === "\ufeff") continue;
    return ch === "[" ? "json" : ch === "{" ? "jsonl" : "csv";
  }
  return "csv";
}

/** Parses FastChat votes (CSV, clean_battle JSON or JSON Lines) from a file's content. */
export function parseFastChatVotes(text: string, opts: ParseVotesOptions = {}): ParsedVotes {
  const category = (opts.category ?? OVERALL).trim() || OVERALL;
  const format = detectFormat(text);
  const result =
    format === "json"
      ? parseJsonArray(text, category)
      : format === "jsonl"
        ? parseJsonLines(text, category)
        : parseCsv(text, category);
  if (result.rows === 0) throw new VotesParseError("the file contains no votes");
  if (result.total === 0) throw new VotesParseError(`no votes in category "${category}"`);
  return result;
}

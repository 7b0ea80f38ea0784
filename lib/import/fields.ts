/**
 * The zod pieces the formats share, and the translation of a zod failure into an
 * ImportError that names the field. Cells read from CSV are strings, so every piece accepts
 * the string spelling of its value (`"1682351591.13"`, `"true"`, `"math;coding"`), and an
 * empty cell or a JSON null means "absent" for optional fields.
 */
import { z } from "zod";
import { type ImportError, type Position, recordError } from "./errors";
import { FASTCHAT_WINNERS, parseWinner } from "./winner";

function absentIfBlank(v: unknown): unknown {
  return v === null || (typeof v === "string" && v.trim() === "") ? undefined : v;
}

/** Same rule as `promptRecordSchema` in prompt-set.ts (format 1). */
export const modelName = z
  .string()
  .trim()
  .min(1, "model name is empty")
  .max(100, "model name is longer than 100 characters");

export const requiredText = (what: string) => z.string().trim().min(1, `${what} is empty`);

export const optionalText = (max: number) =>
  z.preprocess(absentIfBlank, z.string().trim().max(max).optional());

/** A record id: a string or a number, kept as a string. */
export const optionalId = z.preprocess(
  absentIfBlank,
  z
    .union([z.string().trim().max(200), z.number()])
    .transform(String)
    .optional(),
);

/**
 * Tags as a JSON array, or in a CSV cell as `a;b`, `a|b` or a JSON array string. Same limits
 * as format 1: at most 20 tags of at most 40 characters.
 */
export const tagList = z.preprocess((v) => {
  const value = absentIfBlank(v);
  if (typeof value !== "string") return value;
  const s = value.trim();
  if (s.startsWith("[")) {
    try {
      return JSON.parse(s) as unknown;
    } catch {
      return value; // fails below as "must be a list"
    }
  }
  return s
    .split(/[;|]/)
    .map((t) => t.trim())
    .filter(Boolean);
}, z.array(z.string().trim().min(1, "a tag is empty").max(40)).max(20).optional());

/**
 * A FastChat `tstamp`: seconds since the epoch (a float), as a number or numeric string;
 * a value above 1e11 is taken as milliseconds already; an ISO date string also works.
 * Output: milliseconds.
 */
export const timestamp = z.preprocess(
  absentIfBlank,
  z
    .union([z.number(), z.string().trim()])
    .transform((v, ctx) => {
      const ms =
        typeof v === "number"
          ? epochToMs(v)
          : NUMBER.test(v)
            ? epochToMs(Number(v))
            : Date.parse(v);
      if (!Number.isFinite(ms)) {
        ctx.issues.push({
          code: "custom",
          message: `${JSON.stringify(v)} is not a time`,
          input: v,
        });
        return z.NEVER;
      }
      return Math.round(ms);
    })
    .optional(),
);

const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/** FastChat writes seconds; a number this large can only be milliseconds already. */
function epochToMs(n: number): number {
  return Math.abs(n) >= 1e11 ? n : n * 1000;
}

export const flag = z.preprocess((v) => {
  const value = absentIfBlank(v);
  if (typeof value !== "string") return value;
  const s = value.trim().toLowerCase();
  return s === "true" || s === "1" ? true : s === "false" || s === "0" ? false : value;
}, z.boolean().optional());

export const winner = z.string().transform((v, ctx) => {
  const w = parseWinner(v);
  if (w === undefined) {
    ctx.issues.push({
      code: "custom",
      message: `${JSON.stringify(v)} is not one of ${FASTCHAT_WINNERS.join(", ")}`,
      input: v,
    });
    return z.NEVER;
  }
  return w;
});

function describeType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "an object";
  if (typeof v === "string")
    return `the text ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return `${typeof v} ${String(v)}`;
}

const EXPECTED: Record<string, string> = {
  string: "text",
  number: "a number",
  boolean: "true or false",
  array: "a list",
  object: "an object",
  record: "an object",
};

/** Plain-words messages for zod's generic issues; a schema's own messages take precedence. */
const errorMap: z.core.$ZodErrorMap = (iss) => {
  switch (iss.code) {
    case "invalid_type":
      return iss.input === undefined
        ? "is missing"
        : `must be ${EXPECTED[iss.expected] ?? iss.expected}, not ${describeType(iss.input)}`;
    case "too_small":
      if (iss.origin === "string")
        return iss.minimum === 1 ? "is empty" : `is shorter than ${iss.minimum} characters`;
      if (iss.origin === "array") return `needs at least ${iss.minimum} item(s)`;
      return undefined;
    case "too_big":
      if (iss.origin === "string") return `is longer than ${iss.maximum} characters`;
      if (iss.origin === "array") return `has more than ${iss.maximum} items`;
      return undefined;
    case "invalid_union":
      return `must be ${describeUnion(iss.input)}`;
    default:
      return undefined;
  }
};

function describeUnion(input: unknown): string {
  return input === undefined ? "present" : `text or a number, not ${describeType(input)}`;
}

/** `responses.gpt-4`, `turns[1]`, `responses[""]`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else {
      const s = String(seg);
      out += /^[\p{L}\p{N}_-]+$/u.test(s) ? (out ? `.${s}` : s) : `[${JSON.stringify(s)}]`;
    }
  }
  return out;
}

/** Validates one record; the first issue becomes an ImportError naming the field. */
export function validate<T extends z.ZodType>(
  schema: T,
  value: unknown,
  at: Position,
): z.output<T> {
  // parse params switch off zod's compiled fast path (about 3× slower), so the plain-words
  // messages are produced only for the one record that fails
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const explained = schema.safeParse(value, { error: errorMap });
  throw issueToError((explained.error ?? r.error).issues[0], at);
}

function issueToError(issue: z.core.$ZodIssue | undefined, at: Position): ImportError {
  if (issue === undefined) return recordError(at, "is not valid");
  // a bad key in a record (e.g. an empty model name in `responses`) nests the real complaint
  const message =
    issue.code === "invalid_key" || issue.code === "invalid_element"
      ? (issue.issues[0]?.message ?? issue.message)
      : issue.message;
  return issue.path.length === 0
    ? recordError(at, message)
    : recordError(at, message, fieldPath(issue.path));
}

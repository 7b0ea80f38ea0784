/**
 * `arena leaderboard`: Bradley–Terry leaderboard with 95% CIs from a FastChat votes file
 * (`--battles`) or, through the injected hook, from the app's database.
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { csvFixed, csvRow } from "../import/csv-write";
import { OVERALL, parseFastChatVotes, VotesParseError } from "../import/fastchat-votes";
import {
  type CiMethod,
  computeLeaderboard,
  type LeaderboardRow,
  type Matchup,
  type VoteSequence,
} from "../ranking/index";

import type { CliIo } from "./io";

/** What the leaderboard is computed from: the shape `lib/arena` tallies already have. */
export interface LeaderboardSource {
  models: string[];
  matchups: Matchup[];
  /** Votes in order, if available, for the online Elo column. */
  votes?: VoteSequence;
}

export interface LeaderboardHooks {
  /**
   * Reads one category's tallies from the app database. Used when --battles is absent; the
   * CLI entry point wires it up. Without it, --battles is required.
   */
  loadFromDatabase?: (category: string) => Promise<LeaderboardSource>;
}

type Format = "table" | "json" | "csv";

export const LEADERBOARD_USAGE = `Usage: arena leaderboard [--battles FILE] [options]

Bradley–Terry ratings (FastChat's method) with 95% confidence intervals.

  --battles FILE         FastChat votes: CSV with model_a,model_b,winner columns, or
                         clean_battle JSON / JSON Lines. Without it: the app database.
  --category C           category to rank (default: overall)
  --format F             table (default), json or csv
  --ci M                 bootstrap (default) or sandwich
  --bootstrap N          bootstrap rounds (default: 1000)
  --seed S               bootstrap seed (default: 0)
  --anchor MODEL=RATING  pin MODEL's rating; all ratings shift with it
  -h, --help             show this help
`;

class UsageError extends Error {}

interface Parsed {
  battles?: string;
  category: string;
  format: Format;
  ci: CiMethod;
  rounds: number;
  seed: number;
  anchor?: { model: string; rating: number };
  help: boolean;
}

function parse(argv: string[]): Parsed {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      allowPositionals: false,
      strict: true,
      options: {
        battles: { type: "string" },
        category: { type: "string" },
        format: { type: "string" },
        ci: { type: "string" },
        bootstrap: { type: "string" },
        seed: { type: "string" },
        anchor: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const str = (k: string) => (typeof values[k] === "string" ? (values[k] as string) : undefined);
  const format = str("format") ?? "table";
  if (format !== "table" && format !== "json" && format !== "csv") {
    throw new UsageError(`--format must be table, json or csv, not "${format}"`);
  }
  const ci = str("ci") ?? "bootstrap";
  if (ci !== "bootstrap" && ci !== "sandwich")
    throw new UsageError(`--ci must be bootstrap or sandwich, not "${ci}"`);
  const integer = (name: string, fallback: number, min: number): number => {
    const raw = str(name);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw.trim()) || Number(raw) < min || !Number.isSafeInteger(Number(raw))) {
      throw new UsageError(`--${name} must be a whole number >= ${min}, not "${raw}"`);
    }
    return Number(raw);
  };
  let anchor: Parsed["anchor"];
  const rawAnchor = str("anchor");
  if (rawAnchor !== undefined) {
    const eq = rawAnchor.lastIndexOf("=");
    const model = rawAnchor.slice(0, eq).trim();
    const rating = Number(rawAnchor.slice(eq + 1));
    if (
      eq <= 0 ||
      model === "" ||
      rawAnchor.slice(eq + 1).trim() === "" ||
      !Number.isFinite(rating)
    ) {
      throw new UsageError(
        `--anchor must look like MODEL=RATING (e.g. gpt-4=1250), not "${rawAnchor}"`,
      );
    }
    anchor = { model, rating };
  }
  return {
    battles: str("battles"),
    category: str("category")?.trim() || OVERALL,
    format,
    ci,
    rounds: integer("bootstrap", 1000, 1),
    seed: integer("seed", 0, 0),
    anchor,
    help: values.help === true,
  };
}

/** JSON/CSV numbers: 4 decimals is far below any CI width; infinite bounds (no votes) → null. */
function round4(x: number): number | null {
  return Number.isFinite(x) ? Math.round(x * 1e4) / 1e4 : null;
}

function toJson(rows: LeaderboardRow[]): string {
  const out = rows.map((r) => ({
    rank: r.rank,
    model: r.model,
    rating: round4(r.rating),
    ciLower: round4(r.ciLower),
    ciUpper: round4(r.ciUpper),
    votes: r.votes,
    winRate: round4(r.winRate),
    ...(r.eloRating === undefined ? {} : { eloRating: round4(r.eloRating) }),
  }));
  return `${JSON.stringify(out, null, 2)}\n`;
}

function toCsv(rows: LeaderboardRow[]): string {
  const withElo = rows.some((r) => r.eloRating !== undefined);
  const header = [
    "rank",
    "model",
    "rating",
    "ciLower",
    "ciUpper",
    "votes",
    "winRate",
    ...(withElo ? ["eloRating"] : []),
  ];
  // the model is a text cell (neutralised against formula injection), the rest numbers
  const lines = rows.map((r) =>
    csvRow([
      r.rank,
      r.model,
      csvFixed(r.rating, 4),
      csvFixed(r.ciLower, 4),
      csvFixed(r.ciUpper, 4),
      r.votes,
      csvFixed(r.winRate, 4),
      ...(withElo ? [csvFixed(r.eloRating ?? Number.NaN, 4)] : []),
    ]),
  );
  return `${[csvRow(header), ...lines].join("\n")}\n`;
}

function toTable(rows: LeaderboardRow[], ci: CiMethod): string {
  const withElo = rows.some((r) => r.eloRating !== undefined);
  const header = [
    "Rank",
    "Model",
    "Rating",
    `95% CI (${ci})`,
    "Votes",
    "Win rate",
    ...(withElo ? ["Elo"] : []),
  ];
  const body = rows.map((r) => [
    String(r.rank),
    r.model,
    r.rating.toFixed(1),
    Number.isFinite(r.ciLower) && Number.isFinite(r.ciUpper)
      ? `+${(r.ciUpper - r.rating).toFixed(1)} / -${(r.rating - r.ciLower).toFixed(1)}`
      : "no votes",
    String(r.votes),
    Number.isFinite(r.winRate) ? `${(100 * r.winRate).toFixed(1)}%` : "",
    ...(withElo ? [r.eloRating === undefined ? "" : r.eloRating.toFixed(1)] : []),
  ]);
  const widths = header.map((h, c) =>
    Math.max(h.length, ...body.map((row) => (row[c] as string).length)),
  );
  // text columns left-aligned, numbers right-aligned
  const left = new Set([1]);
  const line = (cells: string[]) =>
    cells
      .map((cell, c) =>
        left.has(c) ? cell.padEnd(widths[c] as number) : cell.padStart(widths[c] as number),
      )
      .join("  ")
      .trimEnd();
  return `${[line(header), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n")}\n`;
}

async function loadSource(args: Parsed, hooks: LeaderboardHooks): Promise<LeaderboardSource> {
  if (args.battles !== undefined) {
    const text = await readFile(args.battles, "utf8");
    const parsed = parseFastChatVotes(text, { category: args.category });
    return { models: parsed.models, matchups: parsed.matchups, votes: parsed.votes };
  }
  if (!hooks.loadFromDatabase)
    throw new UsageError(
      "--battles FILE is required (reading the app database is not available here)",
    );
  return hooks.loadFromDatabase(args.category);
}

/** Runs `arena leaderboard` with `argv` (the arguments after the command); returns the exit code. */
export async function runLeaderboard(
  argv: string[],
  io: CliIo,
  hooks: LeaderboardHooks = {},
): Promise<number> {
  let args: Parsed;
  try {
    args = parse(argv);
    if (args.help) {
      io.stdout.write(LEADERBOARD_USAGE);
      return 0;
    }
    const source = await loadSource(args, hooks);
    if (source.models.length === 0) throw new Error(`no votes in category "${args.category}"`);
    if (args.anchor && !source.models.includes(args.anchor.model)) {
      throw new UsageError(`--anchor: model "${args.anchor.model}" has no votes here`);
    }
    const rows = computeLeaderboard(source.models, source.matchups, {
      ci: args.ci,
      rounds: args.rounds,
      seed: args.seed,
      anchor: args.anchor,
      votes: source.votes,
    });
    const text =
      args.format === "json"
        ? toJson(rows)
        : args.format === "csv"
          ? toCsv(rows)
          : toTable(rows, args.ci);
    io.stdout.write(text);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`arena leaderboard: ${e.message}\n\n${LEADERBOARD_USAGE}`);
      return 2;
    }
    if (e instanceof VotesParseError) {
      io.stderr.write(`arena leaderboard: ${argvFile(argv)}${e.message}\n`);
      return 1;
    }
    const err = e as NodeJS.ErrnoException;
    if (err?.code === "ENOENT" || err?.code === "EISDIR" || err?.code === "EACCES") {
      io.stderr.write(`arena leaderboard: cannot read ${err.path ?? "the file"}: ${err.code}\n`);
      return 1;
    }
    io.stderr.write(`arena leaderboard: ${(e as Error).message ?? String(e)}\n`);
    return 1;
  }
}

function argvFile(argv: string[]): string {
  const i = argv.findIndex((a) => a === "--battles" || a.startsWith("--battles="));
  if (i < 0) return "";
  const file = argv[i]?.startsWith("--battles=")
    ? argv[i]?.slice("--battles=".length)
    : argv[i + 1];
  return file ? `${file}: ` : "";
}

/**
 * `arena leaderboard`: Bradley–Terry leaderboard with 95% CIs, from a votes file (`--battles`,
 * read exactly as the admin import reads it) or from the app's database — then it is the
 * leaderboard the web shows, from the same service (lib/arena/leaderboard.ts) with the same
 * models, seed, rounds and provisional rule.
 */
import { createReadStream } from "node:fs";
import { basename } from "node:path";
import { parseArgs } from "node:util";
import { categorySlug, OVERALL } from "@/lib/arena/categories";
import {
  LEADERBOARD_SEED,
  type LeaderboardMethod,
  type LeaderboardView,
} from "@/lib/arena/leaderboard";
import { csvFixed, csvRow } from "@/lib/import/csv-write";
import { isImportError } from "@/lib/import/parse";
import { countsInRanking, rankingInput, readVotesFile } from "@/lib/import/ranking-input";
import { styleRankingInput } from "@/lib/import/style-input";
import type { HistoricalVote, ParsedImport } from "@/lib/import/types";
import { type CiMethod, computeLeaderboard } from "@/lib/ranking/index";
import type { CoefficientInterval } from "@/lib/ranking/style-control";
import { computeStyleLeaderboard, type StyleLeaderboard } from "@/lib/ranking/style-leaderboard";
import type { CliIo } from "./io";

export interface LeaderboardHooks {
  /**
   * The web's leaderboard of one category from the app database. Used when --battles is
   * absent; the CLI entry point wires it up. Without it, --battles is required.
   */
  leaderboardFromDatabase?: (opts: {
    category: string;
    ci: LeaderboardMethod;
    includeDeprecated: boolean;
  }) => Promise<LeaderboardView>;
}

/** What `--format` picks: how the rows are printed. */
type OutputStyle = "table" | "json" | "csv";

/** One printed row: the ranking's figures, plus the web's flags when read from the database. */
interface PrintedRow {
  rank: number;
  /** The worst rank the intervals allow (rank spread: rank ↔ worstRank). */
  worstRank?: number;
  /** Comparison-graph component: 0 the leaderboard proper, others models that never met those. */
  component?: number;
  model: string;
  rating: number;
  ciLower: number;
  ciUpper: number;
  votes: number;
  winRate: number;
  eloRating?: number;
  provisional?: boolean;
  deprecated?: boolean;
}

export const LEADERBOARD_USAGE = `Usage: arena leaderboard [--battles FILE] [options]

Bradley–Terry ratings (FastChat's method) with 95% confidence intervals.

  --battles FILE         votes to rank: any file the admin import reads as votes (CSV with
                         model_a,model_b,winner columns, clean_battle JSON or JSON Lines).
                         Without it: the app database, ranked exactly as the web shows it
                         (hidden models left out, LEADERBOARD_* settings).
  --category C           category to rank (default: overall)
  --format F             table (default), json or csv
  --ci M                 bootstrap (default; with --style or --reweight: sandwich) or sandwich
  --style                --battles only, a file of battles with text (prompt, response_a,
                         response_b): style control, FastChat's method — ratings with answer
                         length and markdown (headers, lists, bold) held equal; JSON output is
                         {rows, style: {coefficients}} (each coefficient: log-odds per SD,
                         with its interval)
  --reweight             LMArena's reweighted fit and sandwich intervals (each vote weighs
                         1/max(n_pair, 50), n_pair the votes of its model pair); implies
                         --ci sandwich
  --deprecated           database only: include deprecated models, as ?deprecated=1 does
  --bootstrap N          --battles only: bootstrap rounds (default: 1000; with --style: 100,
                         each a refit over every vote)
  --seed S               --battles only: bootstrap seed (default: ${LEADERBOARD_SEED}, the web's)
  --anchor MODEL=RATING  --battles only: pin MODEL's rating; all ratings shift with it
  -h, --help             show this help
`;

class UsageError extends Error {}

interface Parsed {
  battles?: string;
  category: string;
  style: OutputStyle;
  ci: CiMethod;
  /** Style control (--style). */
  styleControl: boolean;
  reweight: boolean;
  rounds: number;
  seed: number;
  anchor?: { model: string; rating: number };
  deprecated: boolean;
  help: boolean;
}

/** Options that only make sense for a file: the database's leaderboard is the web's, as it is. */
const FILE_ONLY = ["bootstrap", "seed", "anchor", "style"] as const;

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
        deprecated: { type: "boolean" },
        style: { type: "boolean" },
        reweight: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const str = (k: string) => (typeof values[k] === "string" ? (values[k] as string) : undefined);
  const style = str("format") ?? "table";
  if (style !== "table" && style !== "json" && style !== "csv") {
    throw new UsageError(`--format must be table, json or csv, not "${style}"`);
  }
  const styleControl = values.style === true;
  const reweight = values.reweight === true;
  // a style bootstrap round is a refit over every vote, not over pair tallies: sandwich by
  // default; reweighting gives sandwich intervals only
  const ci = str("ci") ?? (styleControl || reweight ? "sandwich" : "bootstrap");
  if (ci !== "bootstrap" && ci !== "sandwich")
    throw new UsageError(`--ci must be bootstrap or sandwich, not "${ci}"`);
  if (reweight && ci !== "sandwich") {
    throw new UsageError("--reweight gives sandwich intervals: it cannot go with --ci bootstrap");
  }
  if (reweight && styleControl) {
    throw new UsageError("--reweight does not apply to --style yet: the plain fit only");
  }
  if (values.battles === undefined && values.help !== true) {
    const given = FILE_ONLY.filter((k) => values[k] !== undefined);
    if (given.length > 0) {
      throw new UsageError(
        `${given.map((k) => `--${k}`).join(", ")} only apply with --battles: the database's leaderboard is the one the web shows (LEADERBOARD_BOOTSTRAP_ROUNDS sets its rounds)`,
      );
    }
  } else if (values.deprecated === true) {
    throw new UsageError("--deprecated only applies to the database's leaderboard");
  }
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
    category: categorySlug(str("category") ?? "") || OVERALL,
    style,
    ci,
    styleControl,
    reweight,
    rounds: integer("bootstrap", styleControl ? 100 : 1000, 1),
    seed: integer("seed", LEADERBOARD_SEED, 0),
    anchor,
    deprecated: values.deprecated === true,
    help: values.help === true,
  };
}

/** JSON/CSV numbers: 4 decimals is far below any CI width; infinite bounds (no votes) → null. */
function round4(x: number): number | null {
  return Number.isFinite(x) ? Math.round(x * 1e4) / 1e4 : null;
}

function toJson(rows: PrintedRow[]): string {
  const out = rows.map((r) => ({
    rank: r.rank,
    ...(r.worstRank === undefined ? {} : { worstRank: r.worstRank }),
    ...(r.component === undefined ? {} : { component: r.component }),
    model: r.model,
    rating: round4(r.rating),
    ciLower: round4(r.ciLower),
    ciUpper: round4(r.ciUpper),
    votes: r.votes,
    winRate: round4(r.winRate),
    ...(r.eloRating === undefined ? {} : { eloRating: round4(r.eloRating) }),
    ...(r.provisional === undefined ? {} : { provisional: r.provisional }),
    ...(r.deprecated === undefined ? {} : { deprecated: r.deprecated }),
  }));
  return `${JSON.stringify(out, null, 2)}\n`;
}

function toCsv(rows: PrintedRow[]): string {
  const withElo = rows.some((r) => r.eloRating !== undefined);
  const withFlags = rows.some((r) => r.provisional !== undefined);
  const header = [
    "rank",
    "model",
    "rating",
    "ciLower",
    "ciUpper",
    "votes",
    "winRate",
    ...(withElo ? ["eloRating"] : []),
    ...(withFlags ? ["provisional", "deprecated"] : []),
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
      ...(withFlags ? [r.provisional === true, r.deprecated === true] : []),
    ]),
  );
  return `${[csvRow(header), ...lines].join("\n")}\n`;
}

function toTable(rows: PrintedRow[], ci: string): string {
  const withElo = rows.some((r) => r.eloRating !== undefined);
  const withFlags = rows.some((r) => r.provisional || r.deprecated);
  const header = [
    "Rank",
    "Model",
    "Rating",
    `95% CI (${ci})`,
    "Votes",
    "Win rate",
    ...(withElo ? ["Elo"] : []),
    ...(withFlags ? ["Note"] : []),
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
    ...(withFlags
      ? [[r.provisional && "provisional", r.deprecated && "deprecated"].filter(Boolean).join(", ")]
      : []),
  ]);
  const widths = header.map((h, c) =>
    Math.max(h.length, ...body.map((row) => (row[c] as string).length)),
  );
  // text columns left-aligned, numbers right-aligned
  const left = new Set([1, header.length - (withFlags ? 1 : 0)]);
  const line = (cells: string[]) =>
    cells
      .map((cell, c) =>
        left.has(c) ? cell.padEnd(widths[c] as number) : cell.padStart(widths[c] as number),
      )
      .join("  ")
      .trimEnd();
  return `${[line(header), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n")}\n`;
}

/**
 * A votes file as the admin import reads it, its counted votes in `category`. Votes the import
 * would keep uncounted (excluded, cast with the names shown, identity leaks) are left out here too.
 */
async function votesFromFile(
  path: string,
  category: string,
): Promise<{ parsed: ParsedImport; votes: HistoricalVote[] }> {
  const parsed = await readVotesFile(createReadStream(path), basename(path));
  let votes = parsed.votes.filter(countsInRanking);
  if (category !== OVERALL) {
    if (!parsed.votes.some((v) => v.categories !== undefined)) {
      throw new Error(
        `category "${category}" was asked for, but no vote in this file has categories (a categories field or FastChat's category_tag): only "${OVERALL}" is available`,
      );
    }
    votes = votes.filter((v) => v.categories?.some((c) => categorySlug(c) === category));
  }
  if (votes.length === 0) throw new Error(`no counted votes in category "${category}"`);
  return { parsed, votes };
}

async function fromFile(file: string, args: Parsed): Promise<PrintedRow[]> {
  const { votes } = await votesFromFile(file, args.category);
  const input = rankingInput(votes);
  checkAnchor(args, input.models);
  return computeLeaderboard(input.models, input.matchups, {
    ci: args.ci,
    reweight: args.reweight,
    rounds: args.rounds,
    seed: args.seed,
    anchor: args.anchor,
    votes: input.votes,
  });
}

function checkAnchor(args: Parsed, models: readonly string[]): void {
  if (args.anchor && !models.includes(args.anchor.model)) {
    throw new UsageError(`--anchor: model "${args.anchor.model}" has no votes here`);
  }
}

/** A battles-with-text file's style-controlled leaderboard (--style). */
async function styleFromFile(file: string, args: Parsed): Promise<StyleLeaderboard> {
  const { parsed, votes } = await votesFromFile(file, args.category);
  const input = styleRankingInput({ ...parsed, votes });
  checkAnchor(args, input.models);
  return computeStyleLeaderboard(input.models, input.style, {
    ci: args.ci,
    rounds: args.rounds,
    seed: args.seed,
    anchor: args.anchor,
  });
}

const coefficientJson = (c: CoefficientInterval) => ({
  value: round4(c.value),
  lower: round4(c.lower),
  upper: round4(c.upper),
});

/** The coefficients in words, under the table: "longer answers win: +0.26 per SD". */
function coefficientLines(style: StyleLeaderboard, ci: CiMethod): string {
  const words = {
    length: "longer answers",
    headers: "more headers",
    lists: "more list items",
    bold: "more bold text",
  } as const;
  const lines = Object.entries(style.coefficients).map(([name, c]) => {
    const label = words[name as keyof typeof words];
    const sign = c.value >= 0 ? "+" : "";
    const verdict = c.lower > 0 ? "win" : c.upper < 0 ? "lose" : "no clear effect";
    return `  ${label}: ${verdict}, ${sign}${c.value.toFixed(3)} log-odds per SD (95% CI ${c.lower.toFixed(3)} to ${c.upper.toFixed(3)})`;
  });
  return `\nStyle control: ratings hold answer length and markdown equal. Coefficients (${ci}):\n${lines.join("\n")}\n`;
}

async function fromDatabase(args: Parsed, hooks: LeaderboardHooks): Promise<PrintedRow[]> {
  if (!hooks.leaderboardFromDatabase) {
    throw new UsageError(
      "--battles FILE is required (reading the app database is not available here)",
    );
  }
  const view = await hooks.leaderboardFromDatabase({
    category: args.category,
    ci: args.reweight ? "reweighted" : args.ci,
    includeDeprecated: args.deprecated,
  });
  if (view.rows.length === 0) throw new Error(`no votes in category "${args.category}"`);
  return view.rows.map((r) => ({
    rank: r.rank,
    worstRank: r.worstRank,
    component: r.component,
    model: r.model,
    rating: r.rating,
    ciLower: r.ciLower,
    ciUpper: r.ciUpper,
    votes: r.votes,
    winRate: r.winRate,
    provisional: r.provisional,
    deprecated: r.deprecated,
  }));
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
    if (args.styleControl && args.battles !== undefined) {
      const style = await styleFromFile(args.battles, args);
      const text =
        args.style === "json"
          ? `${JSON.stringify(
              {
                rows: JSON.parse(toJson(style.rows)),
                style: {
                  coefficients: Object.fromEntries(
                    Object.entries(style.coefficients).map(([k, c]) => [k, coefficientJson(c)]),
                  ),
                },
              },
              null,
              2,
            )}\n`
          : args.style === "csv"
            ? toCsv(style.rows)
            : toTable(style.rows, args.ci) + coefficientLines(style, args.ci);
      io.stdout.write(text);
      return 0;
    }
    const rows =
      args.battles === undefined
        ? await fromDatabase(args, hooks)
        : await fromFile(args.battles, args);
    const text =
      args.style === "json"
        ? toJson(rows)
        : args.style === "csv"
          ? toCsv(rows)
          : toTable(rows, args.reweight ? `${args.ci}, reweighted` : args.ci);
    io.stdout.write(text);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`arena leaderboard: ${e.message}\n\n${LEADERBOARD_USAGE}`);
      return 2;
    }
    if (isImportError(e)) {
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

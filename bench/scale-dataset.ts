/**
 * The arena at LMArena's size, as a database the benchmark's server opens: M models, P prompts
 * answered by every model, categories over the prompts, and V counted votes, as a finished
 * import of a `battles` file would leave them (source `import`, one `done` import, nothing
 * pending). Built once per set of parameters through the app's own code (ensureModels,
 * findOrAddPrompt with its classifier, addResponse with its style features, markImportDone,
 * addToTallies) in one transaction, cached under bench/.cache/, and copied for each run.
 *
 * On PostgreSQL (DATABASE_URL naming a server, as `tsx scripts/with-postgres.ts` sets it) the
 * same code writes the same rows into a template database on that server, named after the
 * parameters like the file (built once per server: the throwaway cluster of a run), and each run
 * gets a copy (CREATE DATABASE … TEMPLATE …, tests/helpers/server-databases.ts).
 */
import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import pg from "pg";
import { closeDatabase, connectionOf, databasePath, openDatabase } from "../db/client";
import { battles, promptCategories } from "../db/schema";
import { addResponse, ensureModels, findOrAddPrompt } from "../lib/arena/catalog";
import { beginImport, markImportDone, releaseImport } from "../lib/arena/import-runs";
import type { ImportSummary } from "../lib/arena/imports";
import { addToTallies, type TallyCell } from "../lib/arena/tallies";
import type { Winner } from "../lib/winner";
import { checkDatabase } from "../tests/helpers/db-check";
import { withDatabase } from "../tests/helpers/postgres";
import {
  databaseName,
  dropDatabase,
  freshDatabaseUrl,
  postgresServer,
} from "../tests/helpers/server-databases";
import { CACHE_DIR, REPO_ROOT, removeDatabase } from "../tests/helpers/server-harness";
import { seededRng } from "./support";

export interface DatasetParams {
  models: number;
  prompts: number;
  votes: number;
  /** Length of each response, in characters (≈ bytes: the text is ASCII). */
  responseBytes: number;
}

export const FULL_SIZE: DatasetParams = {
  models: 250,
  prompts: 2000,
  votes: 1_000_000,
  responseBytes: 1024,
};

/**
 * Ten categories besides `overall`: every prompt has a language (one of five language
 * categories) and half of them one topic tag, so a prompt is in one or two categories.
 */
const LANGUAGES = [
  { code: "en", share: 0.5 },
  { code: "zh", share: 0.15 },
  { code: "de", share: 0.12 },
  { code: "fr", share: 0.12 },
  { code: "es", share: 0.11 },
] as const;
const TAGS = ["math", "coding", "creative-writing", "hard-prompts", "instruction-following"];

/** The categories the viewers watch, with the interval method each asks for. */
export const VIEWED: { category: string; ci: "bootstrap" | "sandwich" }[] = [
  { category: "overall", ci: "bootstrap" },
  { category: "english", ci: "sandwich" },
  { category: "chinese", ci: "bootstrap" },
  { category: "math", ci: "sandwich" },
  { category: "coding", ci: "bootstrap" },
];

// Words that name no model, no maker and nothing the math/coding classifier reacts to, so the
// categories are exactly the tags and languages above and no battle is an identity leak.
const WORDS = (
  "the a of and to in is that for it as with was on be by this are or from at which an have " +
  "not they but one all were we when there can more if out so what up about into them some " +
  "could time these two may then do first any my now such like our over man me even most made " +
  "after also did many before must through back years where much your way well down should " +
  "because each just those people how too little state good very make world still own see men " +
  "work long get here between both life being under never day same another know while last " +
  "might us great old year off come since against go came right used take three states himself " +
  "few house use during without again place american around however home small found thought " +
  "went say part once general high upon school every does got united left number course war " +
  "until always away something fact though water less public put think almost hand enough far " +
  "took head yet government system better set told nothing night end why called didn't eyes " +
  "find going look asked later knew point next city give group toward young let room side " +
  "social present given several order national possible rather second face per among form " +
  "important often things looked early white case john become large big need four within felt " +
  "along children saw best church ever least power development light thing seemed family " +
  "interest want members mind country area others done turned although open god service " +
  "certain kind problem began different door thus help sense means whole matter perhaps itself " +
  "york times law human line above name example action company hands local show whether five " +
  "history gave today either act feet across taken past quite anything seen having death week " +
  "experience body word half really field am car words already themselves information tell " +
  "together college shall money period held keep sure probably free seems real behind cannot " +
  "miss political air question making office brought whose special major heard problems ago " +
  "became federal moment study available known result street economic boy position reason " +
  "change south board individual job society areas west close turn love community true court " +
  "force full seem policy wife future age voice center woman control common necessary " +
  "following front sometimes six girl clear further land run students provide feel party able"
).split(" ");

const MAKERS = ["Northwind", "Bluefin", "Cobalt", "Halcyon", "Juniper", "Marlowe", "Quarry"];
const FAMILIES = [
  "aster",
  "borealis",
  "cirrus",
  "dunlin",
  "ember",
  "fjord",
  "garnet",
  "heron",
  "indigo",
  "kestrel",
  "lumen",
  "merlin",
  "nimbus",
  "onyx",
  "pikake",
  "quokka",
  "rowan",
  "sable",
  "tamarind",
  "umber",
];

export interface DatasetModel {
  slug: string;
  displayName: string;
  organization: string;
}

/** The dataset's model slugs, in id order: also what the generated import file names. */
export function datasetModels(n: number): DatasetModel[] {
  return Array.from({ length: n }, (_, i) => {
    const family = FAMILIES[i % FAMILIES.length] as string;
    const version = Math.floor(i / FAMILIES.length) + 1;
    const size = [7, 13, 34, 70, 405][i % 5];
    return {
      slug: `${family}-v${version}-${size}b`,
      displayName: `${family[0]?.toUpperCase()}${family.slice(1)} v${version} ${size}B`,
      organization: `${MAKERS[i % MAKERS.length]} Labs`,
    };
  });
}

/**
 * Model strengths on the Elo scale (400 points = 10:1 odds) and how often each is drawn: a
 * handful of frontier models far ahead of a long tail, and popularity that varies ~20-fold, so
 * some pairs have thousands of votes and many only a few.
 */
export function modelProfile(n: number, seed = 9) {
  const rng = seededRng(seed);
  const normal = () => {
    const u = Math.max(rng(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
  };
  const strength = Array.from({ length: n }, (_, i) => {
    const frontier = i % 25 === 0 ? 250 : 0;
    return 1000 + 110 * normal() + frontier;
  });
  const popularity = Array.from({ length: n }, () => Math.exp(0.9 * normal()));
  return { strength, popularity };
}

/** Draws an index with probability ∝ weight (cumulative sums and a binary search). */
export function weightedPicker(weights: number[], rng: () => number): () => number {
  const cum: number[] = [];
  let total = 0;
  for (const w of weights) {
    total += w;
    cum.push(total);
  }
  return () => {
    const x = rng() * total;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cum[mid] as number) > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}

/** One outcome between models a and b of the given strengths: ties and both-bad as on LMArena. */
export function outcome(sa: number, sb: number, rng: () => number): Winner {
  const u = rng();
  if (u < 0.12) return "tie";
  if (u < 0.18) return "bothbad";
  return rng() < 1 / (1 + 10 ** ((sb - sa) / 400)) ? "a" : "b";
}

/** A number written in letters (b, c, …, bb, bc): prompts stay distinct without digits, which the math classifier counts. */
function letters(n: number): string {
  let s = "";
  do {
    s = String.fromCharCode(98 + (n % 24)) + s;
    n = Math.floor(n / 24);
  } while (n > 0);
  return s;
}

function words(rng: () => number, n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(WORDS[Math.floor(rng() * WORDS.length)] as string);
  return out.join(" ");
}

/** A markdown answer of about `bytes` characters: a heading, paragraphs, a list, some bold. */
function responseText(rng: () => number, bytes: number): string {
  let text = `## ${words(rng, 3)}\n\n`;
  while (text.length < bytes) {
    const kind = rng();
    if (kind < 0.2) {
      const items = 2 + Math.floor(rng() * 3);
      for (let i = 0; i < items; i++) text += `- ${words(rng, 4 + Math.floor(rng() * 6))}\n`;
      text += "\n";
    } else {
      text += `${words(rng, 12 + Math.floor(rng() * 20))} **${words(rng, 2)}** ${words(rng, 8)}.\n\n`;
    }
  }
  return text.slice(0, bytes);
}

/** Bump when what buildDataset writes changes: the cache is keyed by it and the parameters. */
const GENERATOR_VERSION = 1;

/**
 * The schema the dataset was written with (the last migration's number and time, which changes
 * when a migration is regenerated): a dataset from an older schema would be migrated on start
 * and leave work for the server's start-up passes (e.g. deciding stored leak verdicts), which
 * the benchmark would then measure.
 */
function schemaVersion(): string {
  const journal = JSON.parse(
    fs.readFileSync(path.join(REPO_ROOT, "db", "migrations", "meta", "_journal.json"), "utf8"),
  ) as { entries: { idx: number; when: number }[] };
  const last = journal.entries.reduce((a, b) => (b.idx > a.idx ? b : a));
  return `${last.idx}.${last.when.toString(36)}`;
}

export function datasetKey(p: DatasetParams): string {
  return `scale${GENERATOR_VERSION}-s${schemaVersion()}-m${p.models}-p${p.prompts}-v${p.votes}-r${p.responseBytes}`;
}

/** Battles per insert statement: far under either database's limit on bound parameters. */
const BATTLES_PER_INSERT = 500;

/** Builds the dataset into the database at `url` (a new SQLite file, or an empty PostgreSQL database). */
export async function buildDataset(
  p: DatasetParams,
  url: string,
  log = console.error,
): Promise<void> {
  const t0 = performance.now();
  const db = await openDatabase(url);
  const rng = seededRng(2026);
  const models = datasetModels(p.models);
  const { strength, popularity } = modelProfile(p.models);
  const run = await beginImport(db, { fileName: "scale-bench.jsonl", format: "battles" });
  await db.transaction(async (tx) => {
    const { ids } = await ensureModels(tx, models, { importId: run.id });
    const modelIds = models.map((m) => ids.get(m.slug) as number);
    const promptIds: number[] = [];
    const categoriesOf: string[][] = [];
    const pickLanguage = weightedPicker(
      LANGUAGES.map((l) => l.share),
      rng,
    );
    let responses = 0;
    for (let i = 0; i < p.prompts; i++) {
      const language = LANGUAGES[pickLanguage()]?.code as string;
      const tags = rng() < 0.5 ? [TAGS[Math.floor(rng() * TAGS.length)] as string] : [];
      const { id } = await findOrAddPrompt(
        tx,
        { turns: [`${words(rng, 8 + Math.floor(rng() * 30))} (${letters(i)})?`], language, tags },
        { source: "scale-bench", importId: run.id },
      );
      promptIds.push(id);
      categoriesOf.push(
        (
          await tx
            .select({ category: promptCategories.category })
            .from(promptCategories)
            .where(eq(promptCategories.promptId, id))
        ).map((r) => r.category),
      );
      for (const modelId of modelIds)
        if (
          await addResponse(tx, { promptId: id, modelId, text: responseText(rng, p.responseBytes) })
        )
          responses++;
      if ((i + 1) % 200 === 0) log(`  dataset: ${i + 1}/${p.prompts} prompts with responses`);
    }

    const pick = weightedPicker(popularity, rng);
    const cells = new Map<string, TallyCell>();
    const start = Date.now() - 2 * 365 * 86_400_000;
    let pending: (typeof battles.$inferInsert)[] = [];
    const flush = async () => {
      if (pending.length > 0) await tx.insert(battles).values(pending);
      pending = [];
    };
    for (let i = 0; i < p.votes; i++) {
      const a = pick();
      let b = pick();
      while (b === a) b = pick();
      const prompt = Math.floor(rng() * p.prompts);
      const winner = outcome(strength[a] as number, strength[b] as number, rng);
      const at = new Date(start + Math.floor((i / p.votes) * 2 * 365 * 86_400_000));
      const modelAId = modelIds[a] as number;
      const modelBId = modelIds[b] as number;
      pending.push({
        id: `imp_scale-${i}`,
        promptId: promptIds[prompt] as number,
        modelAId,
        modelBId,
        voterId: `import:judge-${Math.floor(rng() * 50_000)}`,
        createdAt: at,
        votedAt: at,
        winner,
        source: "import",
        identityLeak: false,
        excluded: false,
        importId: run.id,
        pending: false,
      });
      if (pending.length >= BATTLES_PER_INSERT) await flush();
      for (const category of ["overall", ...(categoriesOf[prompt] as string[])]) {
        const key = `${category}\u0000${modelAId}\u0000${modelBId}\u0000${winner}`;
        const cell = cells.get(key);
        if (cell) cell.n++;
        else cells.set(key, { category, modelAId, modelBId, winner, n: 1 });
      }
      if ((i + 1) % 250_000 === 0) log(`  dataset: ${i + 1}/${p.votes} votes`);
    }
    await flush();
    // The commit of an import: its aggregated tallies and `done`, as lib/arena/imports.ts does.
    await addToTallies(tx, [...cells.values()]);
    const summary: ImportSummary = {
      format: "battles",
      dryRun: false,
      records: p.votes,
      imported: { prompts: p.prompts, responses, models: p.models, votes: p.votes },
      skipped: 0,
      errors: [],
    };
    await markImportDone(tx, run, summary);
  });
  await releaseImport(db, run);
  // No ANALYZE: the app never runs it, and its statistics would change the query plans.
  connectionOf(db).sqlite?.pragma("wal_checkpoint(TRUNCATE)");
  await closeDatabase(db);
  log(`  dataset built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

/** Counts of what the dataset holds, and the check that its tallies equal a recompute. */
export async function verifyDataset(url: string): Promise<{ ok: boolean; detail: string }> {
  const r = await checkDatabase(url);
  const ok = r.integrity === "ok" && r.foreignKeyViolations === 0 && r.tallyMismatches.length === 0;
  return {
    ok,
    detail: `integrity ${r.integrity}, ${r.foreignKeyViolations} foreign-key violations, ${r.tallyCells} tally cells, ${r.tallyMismatches.length} differ from a recompute${r.tallyMismatches.length ? ` (first: ${JSON.stringify(r.tallyMismatches[0])})` : ""}`,
  };
}

/** The cached dataset for these parameters (a file, or a template database), built (and checked once) when missing. */
export async function cachedDataset(p: DatasetParams, log = console.error): Promise<string> {
  const server = postgresServer();
  if (server) return cachedTemplate(server, p, log);
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const file = path.join(CACHE_DIR, `${datasetKey(p)}.db`);
  if (fs.existsSync(file)) return `file:${file}`;
  const tmp = `${file}.building`;
  removeDatabase(tmp);
  log(`building the dataset ${datasetKey(p)} (once; cached in ${CACHE_DIR}) …`);
  try {
    await buildChecked(p, `file:${tmp}`, log);
  } catch (e) {
    removeDatabase(tmp);
    throw e;
  }
  fs.renameSync(tmp, file);
  removeDatabase(tmp);
  return `file:${file}`;
}

async function buildChecked(p: DatasetParams, url: string, log: typeof console.error) {
  await buildDataset(p, url, log);
  const check = await verifyDataset(url);
  log(`  check: ${check.detail}`);
  if (!check.ok) throw new Error(`the dataset does not hold what the app would: ${check.detail}`);
}

/**
 * The dataset as a template database on the PostgreSQL server: built under a temporary name and
 * renamed when checked, so that a template with the final name is always complete.
 */
async function cachedTemplate(
  server: string,
  p: DatasetParams,
  log: typeof console.error,
): Promise<string> {
  const name = databaseName(datasetKey(p));
  const client = new pg.Client({ connectionString: withDatabase(server, "postgres") });
  await client.connect();
  try {
    const found = await client.query("select 1 from pg_database where datname = $1", [name]);
    if (found.rowCount) return withDatabase(server, name);
    log(`building the dataset ${datasetKey(p)} into the template database ${name} …`);
    const building = await freshDatabaseUrl(`${name.slice(0, 50)}_building`);
    try {
      await buildChecked(p, building, log);
    } catch (e) {
      await dropDatabase(building);
      throw e;
    }
    await client.query(`alter database ${new URL(building).pathname.slice(1)} rename to ${name}`);
    return withDatabase(server, name);
  } finally {
    await client.end();
  }
}

export interface PreparedDatabase {
  /** What the server gets as DATABASE_URL. */
  url: string;
  /** The SQLite file (absent on PostgreSQL). */
  file?: string;
  dispose(): Promise<void>;
}

/** A fresh copy of the dataset for one run: a file copy, or a database made from the template. */
export async function prepareDatabase(p: DatasetParams, label: string): Promise<PreparedDatabase> {
  const source = await cachedDataset(p);
  const url = await freshDatabaseUrl(label, { template: source });
  const file = postgresServer() ? undefined : databasePath(url);
  return { url, file, dispose: () => dropDatabase(url) };
}

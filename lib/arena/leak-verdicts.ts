/**
 * Stored identity-leak verdicts. Prompts and responses never change once written, so the identity
 * words each contains are decided once, when it is written, and stored with it (`leak_words`),
 * together with the word list they were decided against (`leak_list`, a digest of the words).
 * Drawing a battle then reads two short columns instead of matching three texts.
 *
 * The word list is FastChat's words, the deployment's IDENTITY_WORDS and every model's slug,
 * display name and organization: each process rebuilds its list only when the models changed
 * (models-version.ts). A verdict decided against another list is stale: the draw decides it
 * again (and stores it) rather than trust it, and a background pass re-decides all stale ones.
 */
import { createHash } from "node:crypto";
import { eq, gt, isNull, lt, or, sql } from "drizzle-orm";
import { type ArenaDb, databaseKey } from "@/db/client";
import { models, prompts, responses } from "@/db/schema";
import { arenaSettings } from "@/lib/env";
import { sliceDeadline, yieldToEventLoop } from "@/lib/time-slices";
import { IdentityLeakDetector } from "./identity-leak";
import { modelsVersion } from "./models-version";
import { prepared } from "./prepared";

export interface WordList {
  /** Which model names and extra words it was built from. */
  key: string;
  /** Digest of the words: what a stored verdict names. */
  digest: string;
  detector: IdentityLeakDetector;
}

/** What a write stores in `leak_words` and `leak_list`. */
export interface StoredLeak {
  leakWords: string[];
  leakList: string;
}

const p = sql.placeholder;

function statements(db: ArenaDb) {
  return prepared(db, "leak-verdicts", () => ({
    names: db
      .select({
        slug: models.slug,
        displayName: models.displayName,
        organization: models.organization,
      })
      .from(models)
      .prepare(),
    storeResponse: db
      .update(responses)
      .set({ leakWords: sql`${p("words")}`, leakList: sql`${p("list")}` })
      .where(eq(responses.id, p("id")))
      .prepare(),
    storePrompt: db
      .update(prompts)
      .set({ leakWords: sql`${p("words")}`, leakList: sql`${p("list")}` })
      .where(eq(prompts.id, p("id")))
      .prepare(),
  }));
}

const lists = new WeakMap<object, WordList>();

/** The deployment's IDENTITY_WORDS: what a write decides against when no words are given. */
export function deploymentWords(): string[] {
  return arenaSettings().identityWords;
}

/** The current word list: one counter read, and a rebuild only after a model's names changed. */
export async function currentWordList(
  db: ArenaDb,
  extraWords = deploymentWords(),
): Promise<WordList> {
  const key = `${await modelsVersion(db)}\u0000${extraWords.join("\u0000")}`;
  const cached = lists.get(databaseKey(db));
  if (cached?.key === key) return cached;
  const detector = new IdentityLeakDetector(await statements(db).names.execute(), extraWords);
  const digest = createHash("sha256")
    .update(JSON.stringify(detector.words))
    .digest("base64url")
    .slice(0, 22);
  const list = { key, digest, detector };
  lists.set(databaseKey(db), list);
  return list;
}

/** The verdict a new prompt or response is stored with. */
export async function decideLeak(db: ArenaDb, text: string, list?: WordList): Promise<StoredLeak> {
  const words = list ?? (await currentWordList(db));
  return { leakWords: words.detector.hits(text), leakList: words.digest };
}

/** The text a prompt's verdict is decided on: all its user turns. */
export function promptLeakText(p: { text: string; turns: string[] | null }): string {
  return (p.turns ?? [p.text]).join("\n");
}

export interface StoredRow {
  id: number;
  text: string;
  leakWords: string[] | null;
  leakList: string | null;
}

/**
 * The identity words of a stored prompt or response: its stored verdict when decided against
 * `list`, else decided now and stored (so each stale row costs one match, once).
 */
export async function storedLeakWords(
  db: ArenaDb,
  list: WordList,
  table: "prompts" | "responses",
  row: StoredRow,
): Promise<string[]> {
  if (row.leakList === list.digest && row.leakWords) return row.leakWords;
  const words = list.detector.hits(row.text);
  const s = statements(db);
  await (table === "prompts" ? s.storePrompt : s.storeResponse).execute({
    id: row.id,
    words: JSON.stringify(words),
    list: list.digest,
  });
  return words;
}

/** Rows whose verdict is missing or was decided against another list (index-friendly, unlike `!=`). */
const stale = (t: typeof prompts | typeof responses, digest: string) =>
  or(isNull(t.leakList), lt(t.leakList, digest), gt(t.leakList, digest));

// ~0.2 ms a row with 2 KB responses (read, match, write back): a batch stays well inside a slice.
const BATCH = 32;

/**
 * Decides stale verdicts, a batch at a time, until `deadline` passes or none is left (then
 * returns done), in one transaction. Each decided row stops being stale, so the next batch is
 * simply the next stale rows, found through the leak_list index: nothing is read when none is.
 */
async function decideSlice(
  db: ArenaDb,
  extraWords: string[],
  deadline: { past(): boolean },
): Promise<{ decided: number; done: boolean }> {
  let decided = 0;
  let done = false;
  await db.transaction(async (tx) => {
    const list = await currentWordList(tx, extraWords);
    for (;;) {
      let rows = 0;
      for (const table of ["prompts", "responses"] as const) {
        const found =
          table === "prompts"
            ? (
                await tx
                  .select({ id: prompts.id, text: prompts.text, turns: prompts.turns })
                  .from(prompts)
                  .where(stale(prompts, list.digest))
                  .limit(BATCH)
              ).map((r) => ({ id: r.id, text: promptLeakText(r) }))
            : await tx
                .select({ id: responses.id, text: responses.text })
                .from(responses)
                .where(stale(responses, list.digest))
                .limit(BATCH);
        for (const r of found)
          await storedLeakWords(tx, list, table, { ...r, leakWords: null, leakList: null });
        rows += found.length;
      }
      decided += rows;
      if (rows === 0) done = true;
      if (done || deadline.past()) break;
    }
  });
  return { decided, done };
}

/** Decides every missing or stale verdict at once: for scripts, benchmarks and tests. */
export async function decideLeakVerdicts(
  db: ArenaDb,
  extraWords = deploymentWords(),
): Promise<number> {
  return (await decideSlice(db, extraWords, { past: () => false })).decided;
}

interface Pass {
  /** The database itself, never a transaction on it: a pass outlives the draw that asks for one. */
  db: ArenaDb;
  running: boolean;
  /** Something went stale while a pass ran: run another when it ends. */
  again: boolean;
}

/** Databases whose server re-decides stale verdicts in the background (startArena). */
const passes = new WeakMap<object, Pass>();

async function runPasses(pass: Pass): Promise<void> {
  const { db } = pass;
  pass.running = true;
  try {
    do {
      pass.again = false;
      let n = 0;
      for (;;) {
        const slice = await decideSlice(db, deploymentWords(), sliceDeadline());
        n += slice.decided;
        if (slice.done) break;
        await yieldToEventLoop();
      }
      if (n > 0) console.log(`Decided the identity-leak verdicts of ${n} prompts and responses.`);
    } while (pass.again);
  } finally {
    pass.running = false;
  }
}

/**
 * A server's start-up: decide in the background, in slices that leave the event loop to the
 * voters, every verdict the migration left undecided or a model change made stale; and do it
 * again whenever a draw meets a stale one (noteStaleVerdict).
 */
export function startLeakVerdicts(db: ArenaDb): void {
  const pass = passes.get(databaseKey(db)) ?? { db, running: false, again: false };
  passes.set(databaseKey(db), pass);
  if (pass.running) {
    pass.again = true;
    return;
  }
  runPasses(pass).catch((e) => console.error("Deciding identity-leak verdicts failed:", e));
}

/**
 * A draw met a stale verdict (a model was added or renamed): a server re-decides them all, on
 * the database it started with (`db` may be the draw's transaction). Touches no table, so it
 * stays synchronous.
 */
export function noteStaleVerdict(db: ArenaDb): void {
  const pass = passes.get(databaseKey(db));
  if (pass) startLeakVerdicts(pass.db);
}

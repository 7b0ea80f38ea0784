/**
 * After an import: rolling a failed or crashed one back (deleting every row it tagged), and
 * clearing `pending` on a done one's rows. Both walk the id range above the import's watermarks
 * (ids only grow; see import-runs.ts) a few thousand ids per statement, in slices of a few ms
 * with a yield between, so neither holds the event loop for long whatever the import's size.
 * There is no index on import_id; a range of the primary key is what makes each step cheap.
 */
import { sql } from "drizzle-orm";
import type { ArenaDb } from "@/db/client";
import { battles, models, promptCategories, prompts, responses } from "@/db/schema";
import { SLICE_MS, sliceDeadline, yieldToEventLoop } from "@/lib/time-slices";
import {
  claimAbandonedImports,
  type ImportRun,
  markImportFailed,
  releaseImport,
  touchImport,
} from "./import-runs";

/** Ids per statement: a few ms of work, so a slice checks its deadline often enough. */
const IDS_PER_STEP = 2000;

export interface CleanupOptions {
  sliceMs?: number;
  /** Waits between slices (default: one turn of the event loop); see WriteOptions.pause. */
  pause?: () => Promise<void>;
}

const TABLES = { models, prompts, responses, battles } as const;
type Table = keyof typeof TABLES;

const maxId = (db: ArenaDb, table: Table) =>
  db.get<{ v: number | null }>(sql`select max(rowid) as v from ${TABLES[table]}`)?.v ?? 0;

/** The rows of `table` the import wrote with ids in (lo, hi]. */
const taggedIn = (table: Table, importId: number, lo: number, hi: number) =>
  sql`rowid > ${lo} and rowid <= ${hi} and ${TABLES[table].importId} = ${importId}`;

/** Runs `step(lo, hi)` over (from, to] in chunks, each slice of chunks inside `slice`. */
async function overIdRange(
  from: number,
  to: number,
  slice: (work: () => void) => void,
  step: (lo: number, hi: number) => void,
  opts: CleanupOptions,
): Promise<void> {
  let lo = from;
  while (lo < to) {
    const deadline = sliceDeadline(opts.sliceMs ?? SLICE_MS);
    slice(() => {
      do {
        const hi = Math.min(lo + IDS_PER_STEP, to);
        step(lo, hi);
        lo = hi;
      } while (lo < to && !deadline.past());
    });
    await (opts.pause ?? yieldToEventLoop)();
  }
}

/**
 * Deletes every row the import wrote, newest kinds first (battles, responses, then the prompts
 * and models only they referred to), then marks it failed. Each slice is a transaction that
 * first checks the import is still ours, as its batches did. A crash half-way leaves it
 * `running`, to be claimed and rolled back again.
 */
export async function rollBackImport(
  db: ArenaDb,
  run: ImportRun,
  reason: string,
  opts: CleanupOptions = {},
): Promise<void> {
  const owned = (work: () => void) =>
    db.transaction(
      () => {
        touchImport(db, run);
        work();
      },
      { behavior: "immediate" },
    );
  // Prompts and models are referenced from tables with no index on the referring column
  // (battles, voter_seen, tallies), so SQLite would scan those whole tables for every prompt or
  // model deleted. Nothing outside this import refers to them — they were reachable only through
  // its pending rows, and those are gone by now — so the check is skipped for these deletes, and
  // the one dependant that can exist (the prompts' categories) is deleted explicitly.
  const ownedWithoutForeignKeys = (work: () => void) => {
    db.$client.pragma("foreign_keys = OFF"); // a no-op inside a transaction: set it around one
    try {
      owned(work);
    } finally {
      db.$client.pragma("foreign_keys = ON");
    }
  };
  const until = (table: Table) => maxId(db, table);
  const remove = (table: Table, lo: number, hi: number) =>
    db.run(sql`delete from ${TABLES[table]} where ${taggedIn(table, run.id, lo, hi)}`);
  const { after } = run;
  for (const table of ["battles", "responses"] as const) {
    await overIdRange(after[table], until(table), owned, (lo, hi) => remove(table, lo, hi), opts);
  }
  await overIdRange(
    after.prompts,
    until("prompts"),
    ownedWithoutForeignKeys,
    (lo, hi) => {
      db.run(
        sql`delete from ${promptCategories} where ${promptCategories.promptId} in (select ${prompts.id} from ${prompts} where ${taggedIn("prompts", run.id, lo, hi)})`,
      );
      remove("prompts", lo, hi);
    },
    opts,
  );
  await overIdRange(
    after.models,
    until("models"),
    ownedWithoutForeignKeys,
    (lo, hi) => remove("models", lo, hi),
    opts,
  );
  markImportFailed(db, run, reason);
}

/**
 * Clears `pending` on a done import's responses and battles. Changes nothing anyone sees (see
 * import-visibility.ts): it only puts the rows back on readers' cheap `pending = 0` branch.
 */
export async function settleImport(
  db: ArenaDb,
  run: ImportRun,
  opts: CleanupOptions = {},
): Promise<void> {
  const plain = (work: () => void) => db.transaction(() => work(), { behavior: "immediate" });
  for (const table of ["responses", "battles"] as const) {
    await overIdRange(
      run.after[table],
      maxId(db, table),
      plain,
      (lo, hi) => {
        const t = TABLES[table];
        db.run(
          sql`update ${t} set ${sql.identifier(t.pending.name)} = 0 where ${taggedIn(table, run.id, lo, hi)} and ${t.pending} = 1`,
        );
      },
      opts,
    );
  }
}

/**
 * Rolls back every import left `running` by a process that is gone (crashed, killed, restarted):
 * the start-up step of the server and of every import. Resolves with how many it rolled back.
 */
export async function recoverAbandonedImports(
  db: ArenaDb,
  opts: CleanupOptions = {},
): Promise<number> {
  const runs = claimAbandonedImports(db);
  for (const run of runs) {
    try {
      await rollBackImport(db, run, "interrupted: the process writing it stopped", opts);
    } finally {
      releaseImport(db, run);
    }
  }
  return runs.length;
}

/**
 * The server's start-up step: claims the imports a crashed process left `running` at once
 * (synchronously, so the process's other connection finds them taken), then rolls them back in
 * the background, a slice at a time, while the server already answers.
 */
export function startImportRecovery(db: ArenaDb): void {
  recoverAbandonedImports(db).then(
    (n) => {
      if (n > 0) console.log(`Rolled back ${n} import(s) interrupted by a crash.`);
    },
    (e) => console.error("Rolling back an interrupted import failed:", e),
  );
}

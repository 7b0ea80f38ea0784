/**
 * After an import: rolling a failed or crashed one back (deleting every row it tagged), and
 * clearing `pending` on a done one's rows. Both walk the id range above the import's watermarks
 * (ids only grow; see import-runs.ts) a few thousand ids per statement, in slices of a few ms
 * with a yield between, so neither holds the event loop for long whatever the import's size.
 * Only battles have an index on import_id; a range of the primary key is what makes each step
 * cheap. Battles' key is text: SQLite ranges their rowid; on PostgreSQL an import's battles are
 * one statement (see writeOrder in import-runs.ts) through that index (battles_import), which
 * runs on the server, not on the event loop.
 */
import { sql } from "drizzle-orm";
import { type ArenaDb, connectionOf } from "@/db/client";
import { execute } from "@/db/rows";
import { battles, models, promptCategories, prompts, responses } from "@/db/schema";
import { SLICE_MS, sliceDeadline, yieldToEventLoop } from "@/lib/time-slices";
import {
  claimAbandonedImports,
  type ImportRun,
  largestId,
  markImportFailed,
  releaseImport,
  touchImport,
  writeOrder,
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

/**
 * The rows of `table` the import wrote with ids in (lo, hi]; a table with no write order
 * (battles on PostgreSQL, see writeOrder) is walked as one range, (0, 1], holding all of them.
 */
const taggedIn = (db: ArenaDb, table: Table, importId: number, lo: number, hi: number) => {
  const order = writeOrder(db, table);
  const tagged = sql`${TABLES[table].importId} = ${importId}`;
  return order ? sql`${order} > ${lo} and ${order} <= ${hi} and ${tagged}` : tagged;
};

/** The end of the range to walk above the watermark `from`. */
async function until(db: ArenaDb, table: Table, from: number): Promise<number> {
  return writeOrder(db, table) ? largestId(db, table) : from + 1;
}

/** Runs a slice of work in one transaction, whose body awaits only the database. */
type Slice = (work: (tx: ArenaDb) => Promise<void>) => Promise<void>;

/** Runs `step(tx, lo, hi)` over (from, to] in chunks, each slice of chunks inside `slice`. */
async function overIdRange(
  from: number,
  to: number,
  slice: Slice,
  step: (tx: ArenaDb, lo: number, hi: number) => Promise<unknown>,
  opts: CleanupOptions,
): Promise<void> {
  let lo = from;
  while (lo < to) {
    const deadline = sliceDeadline(opts.sliceMs ?? SLICE_MS);
    await slice(async (tx) => {
      do {
        const hi = Math.min(lo + IDS_PER_STEP, to);
        await step(tx, lo, hi);
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
  const owned: Slice = (work) =>
    db.transaction(
      async (tx) => {
        await touchImport(tx, run);
        await work(tx);
      },
      { behavior: "immediate" },
    );
  // Prompts and models are referenced from tables with no index on the referring column
  // (voter_seen, tallies, battles' model ids; battles.prompt_id has one), so SQLite would scan
  // those whole tables for every prompt or model deleted. Nothing outside this import refers to them — they were reachable only through
  // its pending rows, and those are gone by now — so the check is skipped for these deletes, and
  // the one dependant that can exist (the prompts' categories) is deleted explicitly. SQLite only
  // (a pragma, of the connection): PostgreSQL checks them, and finds nothing referring to them
  // (through battles_prompt for the battles, the largest: bench/rollback-pg.ts).
  const ownedWithoutForeignKeys: Slice = async (work) => {
    const sqlite = connectionOf(db).sqlite;
    sqlite?.pragma("foreign_keys = OFF"); // a no-op inside a transaction: set it around one
    try {
      await owned(work);
    } finally {
      sqlite?.pragma("foreign_keys = ON");
    }
  };
  const remove = (tx: ArenaDb, table: Table, lo: number, hi: number) =>
    execute(tx, sql`delete from ${TABLES[table]} where ${taggedIn(tx, table, run.id, lo, hi)}`);
  const { after } = run;
  for (const table of ["battles", "responses"] as const) {
    await overIdRange(
      after[table],
      await until(db, table, after[table]),
      owned,
      (tx, lo, hi) => remove(tx, table, lo, hi),
      opts,
    );
  }
  await overIdRange(
    after.prompts,
    await until(db, "prompts", after.prompts),
    ownedWithoutForeignKeys,
    async (tx, lo, hi) => {
      await execute(
        tx,
        sql`delete from ${promptCategories} where ${promptCategories.promptId} in (select ${prompts.id} from ${prompts} where ${taggedIn(tx, "prompts", run.id, lo, hi)})`,
      );
      await remove(tx, "prompts", lo, hi);
    },
    opts,
  );
  await overIdRange(
    after.models,
    await until(db, "models", after.models),
    ownedWithoutForeignKeys,
    (tx, lo, hi) => remove(tx, "models", lo, hi),
    opts,
  );
  await markImportFailed(db, run, reason);
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
  const plain: Slice = (work) => db.transaction(work, { behavior: "immediate" });
  for (const table of ["responses", "battles"] as const) {
    await overIdRange(
      run.after[table],
      await until(db, table, run.after[table]),
      plain,
      (tx, lo, hi) => {
        const t = TABLES[table];
        return execute(
          tx,
          sql`update ${t} set ${sql.identifier(t.pending.name)} = false where ${taggedIn(tx, table, run.id, lo, hi)} and ${t.pending} = true`,
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
  return rollBackClaimed(db, await claimAbandonedImports(db), opts);
}

async function rollBackClaimed(
  db: ArenaDb,
  runs: ImportRun[],
  opts: CleanupOptions = {},
): Promise<number> {
  for (const run of runs) {
    try {
      await rollBackImport(db, run, "interrupted: the process writing it stopped", opts);
    } finally {
      await releaseImport(db, run);
    }
  }
  return runs.length;
}

/**
 * The server's start-up step: claims the imports a crashed process left `running` (resolving
 * once they are, so the process's other connection finds them taken), then rolls them back in
 * the background, a slice at a time, while the server already answers.
 */
export async function startImportRecovery(db: ArenaDb): Promise<void> {
  const runs = await claimAbandonedImports(db);
  rollBackClaimed(db, runs).then(
    (n) => {
      if (n > 0) console.log(`Rolled back ${n} import(s) interrupted by a crash.`);
    },
    (e) => console.error("Rolling back an interrupted import failed:", e),
  );
}

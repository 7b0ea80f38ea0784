/**
 * The `imports` row of an import being written: the lock that lets one import run at a time per
 * deployment (state in the database, so a CLI import and the server exclude each other too), who
 * owns it, and how far it got. See import-visibility.ts for what its rows look like meanwhile.
 *
 * While `running`, the row's summary holds a RunningState: the owner (host, pid and a token for
 * this run of the process), a heartbeat renewed by every batch, and the largest ids before the
 * import began, which bound where its rows lie for the clean-up. An owner that is gone (a crash)
 * leaves its import `running`; start-up, and any later import, claim it and roll it back.
 */
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { workerData } from "node:worker_threads";
import { desc, eq, max, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { type ArenaDb, connectionOf, databaseKey, dialect } from "@/db/client";
import { lockKey } from "@/db/rows";
import { battles, imports, models, prompts, responses } from "@/db/schema";
import { ArenaError } from "@/lib/errors";
import type { ImportFormat } from "@/lib/import/parse";

/** A batch renews the heartbeat every few ms; one this old means the owner is stuck or gone. */
export const STALE_AFTER_MS = 60_000;

export interface ImportProgress {
  phase: "models" | "prompts" | "votes";
  done: number;
  total: number;
}

const watermarks = z.object({
  models: z.number(),
  prompts: z.number(),
  responses: z.number(),
  battles: z.number(),
});
/**
 * The largest id of each table before the import began: all its rows lie above. For battles
 * (text ids) SQLite's rowid, and 0 on PostgreSQL, which has no such order (see writeOrder).
 */
export type Watermarks = z.infer<typeof watermarks>;

const runningState = z.object({
  state: z.literal("running"),
  owner: z.object({
    host: z.string(),
    pid: z.number(),
    /** This run of this thread. */
    token: z.string(),
    /** This run of the process, shared by its threads (an import's worker); older rows lack it. */
    process: z.string().optional(),
  }),
  heartbeatAt: z.number(),
  after: watermarks,
  progress: z
    .object({ phase: z.string(), done: z.number(), total: z.number() })
    .optional()
    .catch(undefined),
});
type RunningState = z.infer<typeof runningState>;

/** An import this process owns: it writes (or rolls back) its rows and keeps its heartbeat. */
export interface ImportRun {
  id: number;
  after: Watermarks;
}

// One token and one set of owned imports per thread, although Next bundles this module twice;
// one process id shared with the import's worker threads, which are handed it (import-thread.ts).
const PROCESS = Symbol.for("arena.imports.process");
const store = globalThis as {
  [PROCESS]?: { token: string; process: string; owned: Map<unknown, Set<number>> };
};
const inherited = (workerData as { processId?: unknown } | null)?.processId;
store[PROCESS] ??= {
  token: randomUUID(),
  process: typeof inherited === "string" ? inherited : randomUUID(),
  owned: new Map(),
};
const proc = store[PROCESS];
const me = () => ({ host: hostname(), pid: process.pid, token: proc.token, process: proc.process });

/** This process's id, for the worker threads it starts. */
export const importProcessId = (): string => proc.process;

/** The imports this process is writing or rolling back in this database. */
function owned(db: ArenaDb): Set<number> {
  // One set per database, however many connections the thread opens to it: the import worker
  // opens one (a PostgreSQL pool) per job, and an import begun by one job is still this thread's
  // while the next job looks. Each in-memory SQLite database is its own connection's.
  const connection = connectionOf(db);
  const key = connection.database ?? databaseKey(db);
  let set = proc.owned.get(key);
  if (!set) {
    set = new Set();
    proc.owned.set(key, set);
  }
  return set;
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Whether the owner of a running import may still be writing it. Certainly not when it is this
 * thread but not one of its imports (a failed roll-back), an earlier process with this pid (a
 * restart in a container), or a pid that no longer exists on this host; otherwise (another
 * thread of this process among them), while its heartbeat is fresh.
 */
function ownerAlive(db: ArenaDb, id: number, s: RunningState | null, now: number): boolean {
  if (!s) return false;
  if (s.owner.token === proc.token) return owned(db).has(id);
  if (s.owner.process === proc.process) return now - s.heartbeatAt < STALE_AFTER_MS;
  if (s.owner.host === hostname() && (s.owner.pid === process.pid || !pidExists(s.owner.pid)))
    return false;
  return now - s.heartbeatAt < STALE_AFTER_MS;
}

function parseState(summary: unknown): RunningState | null {
  const r = runningState.safeParse(summary);
  return r.success ? r.data : null;
}

async function runningRows(db: ArenaDb) {
  const rows = await db
    .select({
      id: imports.id,
      createdAt: imports.createdAt,
      fileName: imports.fileName,
      summary: imports.summary,
    })
    .from(imports)
    .where(eq(imports.status, "running"))
    .orderBy(desc(imports.id));
  return rows.map((r) => ({ ...r, state: parseState(r.summary) }));
}

function refuse(row: Awaited<ReturnType<typeof runningRows>>[number], alive: boolean): ArenaError {
  const p = row.state?.progress;
  const what = `${row.fileName ?? "upload"}, started ${row.createdAt.toISOString()}`;
  return new ArenaError(
    "import_running",
    alive && p?.phase !== "rollback"
      ? `An import is already running (${what}${p ? `, ${p.phase} ${p.done}/${p.total}` : ""}). ` +
          "Imports run one at a time: try again when it has finished."
      : `An interrupted import (${what}) is being rolled back: try again in a moment.`,
    { details: { importId: row.id, fileName: row.fileName, progress: p ?? null } },
  );
}

/**
 * Throws `import_running` (409) while an import runs. With `evenAbandoned`, also while one whose
 * owner is gone still awaits its roll-back: imports start only once none is `running` at all,
 * which keeps the running one, if any, the newest row (see importRunning).
 */
export async function assertNoImportRunning(
  db: ArenaDb,
  opts: { evenAbandoned?: boolean } = {},
): Promise<void> {
  const now = Date.now();
  for (const row of await runningRows(db)) {
    const alive = ownerAlive(db, row.id, row.state, now);
    if (alive || opts.evenAbandoned) throw refuse(row, alive);
  }
}

/**
 * The column that orders a table's rows as they were written, for the clean-up's id ranges: the
 * integer primary key (AUTOINCREMENT on SQLite, an identity on PostgreSQL: ids only grow). Battles'
 * primary key is a random text id; on SQLite their rowid (the largest plus one) orders them, and
 * nothing deletes battles while an import runs (its own roll-back finishes before the next import
 * begins, and removing the demo set is refused meanwhile). PostgreSQL has no such column: there
 * `undefined`, and the clean-up finds an import's battles by its id alone (import-cleanup.ts).
 */
export function writeOrder(db: ArenaDb, table: keyof Watermarks): SQL | undefined {
  if (table !== "battles") return sql`${ID_COLUMNS[table]}`;
  return dialect(db) === "sqlite" ? sql`rowid` : undefined;
}

const ID_COLUMNS = { models: models.id, prompts: prompts.id, responses: responses.id };
const TABLES = { models, prompts, responses, battles };

/** The largest writeOrder of `table` now (0 when it has none, or no rows). */
export async function largestId(db: ArenaDb, table: keyof Watermarks): Promise<number> {
  const order = writeOrder(db, table);
  if (!order) return 0;
  const [row] = await db.select({ v: max(sql<number>`${order}`) }).from(TABLES[table]);
  return Number(row?.v ?? 0);
}

/** The largest id of each table now: everything written after this lies above it. */
async function currentWatermarks(db: ArenaDb): Promise<Watermarks> {
  return {
    models: await largestId(db, "models"),
    prompts: await largestId(db, "prompts"),
    responses: await largestId(db, "responses"),
    battles: await largestId(db, "battles"),
  };
}

/**
 * A file name as the admin pages show it: control characters dropped. The name is the uploader's
 * to choose (`?name=`, a multipart filename), and PostgreSQL refuses a NUL in text outright.
 */
function printable(name: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
  return name.replace(/[\u0000-\u001f\u007f]/g, "");
}

/**
 * Starts an import: in one write transaction, refuses with `import_running` (409) while another
 * import is `running` (even one whose owner is gone: it must be rolled back first), else records
 * this one as `running`, owned by this process.
 */
export async function beginImport(
  db: ArenaDb,
  meta: { fileName?: string; format: ImportFormat; userEmail?: string },
): Promise<ImportRun> {
  return db.transaction(
    async (tx) => {
      // A check then an insert: on PostgreSQL two processes could both see none running.
      await lockKey(tx, "imports");
      await assertNoImportRunning(tx, { evenAbandoned: true });
      const now = Date.now();
      const after = await currentWatermarks(tx);
      const state: RunningState = { state: "running", owner: me(), heartbeatAt: now, after };
      const [row] = await tx
        .insert(imports)
        .values({
          status: "running",
          fileName: meta.fileName === undefined ? null : printable(meta.fileName),
          format: meta.format,
          summary: state,
          userEmail: meta.userEmail ?? null,
        })
        .returning({ id: imports.id });
      const id = (row as { id: number }).id;
      owned(tx).add(id);
      return { id, after };
    },
    // take the write lock before reading, so two processes cannot both see "none running"
    { behavior: "immediate" },
  );
}

/** The import was taken from this process (declared dead and rolled back by another). */
export class ImportLostError extends Error {
  constructor(id: number) {
    super(`import ${id} is no longer this process's to write`);
  }
}

/**
 * Inside each batch's transaction: checks the import is still running and still ours (so no row
 * is written after someone else took it over to roll it back) and renews the heartbeat.
 */
export async function touchImport(
  db: ArenaDb,
  run: ImportRun,
  progress?: ImportProgress,
): Promise<void> {
  const [row] = await db
    .select({ status: imports.status, summary: imports.summary })
    .from(imports)
    .where(eq(imports.id, run.id))
    .limit(1);
  const state = row?.status === "running" ? parseState(row.summary) : null;
  if (!state || state.owner.token !== proc.token) throw new ImportLostError(run.id);
  const next: RunningState = {
    ...state,
    heartbeatAt: Date.now(),
    ...(progress ? { progress } : {}),
  };
  await db.update(imports).set({ summary: next }).where(eq(imports.id, run.id));
}

/** Marks a running import done with its summary. Call inside the commit's transaction. */
export async function markImportDone(db: ArenaDb, run: ImportRun, summary: unknown): Promise<void> {
  await touchImport(db, run);
  await db.update(imports).set({ status: "done", summary }).where(eq(imports.id, run.id));
}

/** Marks a running import failed, once its rows are gone. */
export async function markImportFailed(db: ArenaDb, run: ImportRun, error: string): Promise<void> {
  await db.transaction(async (tx) => {
    await touchImport(tx, run);
    await tx
      .update(imports)
      .set({ status: "failed", summary: { error } })
      .where(eq(imports.id, run.id));
  });
}

/** This process stops owning the import (done, failed, or given up on). */
export async function releaseImport(db: ArenaDb, run: ImportRun): Promise<void> {
  owned(db).delete(run.id);
}

/**
 * Takes over every running import whose owner is gone, so this process can roll it back: from
 * then on the old owner, should it still be alive, fails its next batch instead of writing.
 */
export async function claimAbandonedImports(db: ArenaDb): Promise<ImportRun[]> {
  return db.transaction(
    async (tx) => {
      await lockKey(tx, "imports");
      const now = Date.now();
      const claimed: ImportRun[] = [];
      for (const row of await runningRows(tx)) {
        if (ownerAlive(tx, row.id, row.state, now)) continue;
        // Without a readable state the rows may lie anywhere: the roll-back then reads every id.
        const after = row.state?.after ?? { models: 0, prompts: 0, responses: 0, battles: 0 };
        const state: RunningState = {
          state: "running",
          owner: me(),
          heartbeatAt: now,
          after,
          progress: { phase: "rollback", done: 0, total: 0 },
        };
        await tx.update(imports).set({ summary: state }).where(eq(imports.id, row.id));
        owned(tx).add(row.id);
        claimed.push({ id: row.id, after });
      }
      return claimed;
    },
    { behavior: "immediate" },
  );
}

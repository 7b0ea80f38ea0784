/**
 * The body of the import worker thread: for each job, opens its own connection to the database,
 * imports the spooled file (import-file.ts) and posts the summary or the error back. Between its write
 * slices it sleeps rather than only yielding: the main thread's vote, blocked in SQLite's busy
 * handler (which retries after 1, 2, 5, 10 … ms), must find the write lock free when it retries.
 */
import { parentPort } from "node:worker_threads";
import { type ArenaDb, closeDatabase, openDatabase } from "@/db/client";
import { databaseError } from "@/db/errors";
import { isArenaError } from "@/lib/errors";
import { isImportError } from "@/lib/import/parse";
import { importFile } from "./import-file";
import type { ImportJob, ImportJobError, ImportJobResult } from "./import-thread";

/** A write slice in the worker: short, since a vote may be waiting for the lock meanwhile. */
export const WORKER_SLICE_MS = 5;
/** The pause after each slice: longer than the busy handler's retry gap after a short wait. */
export const WORKER_PAUSE_MS = 6;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs the jobs the main thread posts, each answered with its id; several may overlap. */
export function serveImportJobs(): void {
  parentPort?.on("message", async ({ id, job }: { id: number; job: ImportJob }) => {
    parentPort?.postMessage({ id, result: await runImportJob(job) });
  });
}

async function runImportJob(job: ImportJob): Promise<ImportJobResult> {
  let result: ImportJobResult;
  let db: ArenaDb | undefined;
  try {
    db = await openDatabase(job.databaseUrl);
    const summary = await importFile(db, job.file, {
      ...job.options,
      sliceMs: job.sliceMs ?? WORKER_SLICE_MS,
      // a dry run holds no write lock: nobody waits for its slices
      pause: job.options.dryRun ? undefined : () => sleep(job.pauseMs ?? WORKER_PAUSE_MS),
    });
    result = { ok: true, summary };
  } catch (e) {
    result = { ok: false, error: describe(e) };
  } finally {
    if (db) await closeDatabase(db);
  }
  return result;
}

function describe(e: unknown): ImportJobError {
  if (isImportError(e)) return { kind: "import", message: e.message, ...e.toJSON() };
  if (isArenaError(e))
    return { kind: "arena", code: e.code, message: e.message, details: e.details };
  // A query that failed outside the import's writes (opening, beginning, recovering) reads as
  // the database's error too, like one inside them (imports.ts).
  const cause = databaseError(e);
  const err = cause instanceof Error ? cause : new Error(String(cause));
  return { kind: "other", message: err.message, stack: err.stack };
}

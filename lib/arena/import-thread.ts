/**
 * Runs an import in a worker thread, so that nothing of it — parsing, the writes, the garbage
 * it leaves — holds the server's event loop: the request awaits a message. The worker opens its
 * own connection (WAL: votes read and write beside it) and writes in short transactions.
 *
 * The file must be on disk (an upload is spooled to a temporary file first): the worker reads it
 * twice, to validate and then to write, holding one batch at a time (import-file.ts).
 */
import path from "node:path";
import { Worker } from "node:worker_threads";
import { ArenaError, type ErrorCode } from "@/lib/errors";
import {
  ImportError,
  type ImportErrorCode,
  type ImportOptions as ParseOptions,
} from "@/lib/import/parse";
import { importProcessId } from "./import-runs";
import type { ImportOptions, ImportSummary } from "./imports";

export interface ImportJob {
  databaseUrl: string;
  file: string;
  options: Omit<ImportOptions, "onBatch" | "pause" | "now"> & { parse: ParseOptions };
  /** Write slice and pause in the worker (defaults in import-job.ts). */
  sliceMs?: number;
  pauseMs?: number;
}

export type ImportJobError =
  | {
      kind: "import";
      message: string;
      code: ImportErrorCode;
      line?: number;
      record?: number;
      field?: string;
    }
  | { kind: "arena"; code: ErrorCode; message: string; details?: unknown }
  | { kind: "other"; message: string; stack?: string };

export type ImportJobResult =
  | { ok: true; summary: ImportSummary }
  | { ok: false; error: ImportJobError };

/**
 * The worker's entry, from the project's root like the migrations (db/client.ts), and kept out
 * of Next's bundle (turbopackIgnore): it runs as the file it is, loading the TypeScript by tsx.
 */
const ENTRY = path.join(
  /* turbopackIgnore: true */ process.cwd(),
  "lib",
  "arena",
  "import-worker.mjs",
);

interface ThreadState {
  worker: Worker;
  next: number;
  /** The answer's raw form: each caller rebuilds errors with its own copy of the classes. */
  waiting: Map<number, (answer: ImportJobResult | Error) => void>;
}

// One worker per process, although Next bundles this module more than once; started on first
// use (or by warmImportWorker) and kept, idle and unref'd, so an import does not pay its start
// (loading the TypeScript through tsx takes seconds on a busy machine).
const THREAD = Symbol.for("arena.imports.thread");
const holder = globalThis as { [THREAD]?: ThreadState };

function thread(): ThreadState {
  const existing = holder[THREAD];
  if (existing) return existing;
  const worker = new Worker(/* turbopackIgnore: true */ ENTRY, {
    workerData: { processId: importProcessId() },
  });
  const state: ThreadState = { worker, next: 1, waiting: new Map() };
  holder[THREAD] = state;
  worker.unref();
  worker.on("message", (m: { id: number; result: ImportJobResult }) => {
    const answer = state.waiting.get(m.id);
    if (!answer) return;
    state.waiting.delete(m.id);
    if (state.waiting.size === 0) worker.unref();
    answer(m.result);
  });
  // A worker that dies fails the imports it was running (their rows are rolled back as
  // abandoned once their heartbeat is stale); the next import starts a new one.
  const fail = (e: Error) => {
    if (holder[THREAD] === state) holder[THREAD] = undefined;
    for (const answer of state.waiting.values()) answer(e);
    state.waiting.clear();
  };
  worker.on("error", fail);
  worker.on("exit", (code) =>
    fail(new Error(`the import's worker thread stopped (exit code ${code}) without an answer`)),
  );
  return state;
}

/** Starts the import worker ahead of the first import (the server does, at start). */
export function warmImportWorker(): void {
  thread();
}

/**
 * Imports `job.file` in the worker thread. Resolves with the summary; rejects with the same
 * errors as an import on this thread would (ImportError for a bad file, ArenaError
 * `import_running`).
 */
export function runImportInWorker(job: ImportJob): Promise<ImportSummary> {
  const state = thread();
  const id = state.next++;
  return new Promise((resolve, reject) => {
    // Rebuilt here, not in the listener: Next bundles this module more than once, and the
    // route's `instanceof ImportError` knows only the classes of its own copy.
    state.waiting.set(id, (answer) => {
      if (answer instanceof Error) reject(answer);
      else if (answer.ok) resolve(answer.summary);
      else reject(rebuild(answer.error));
    });
    state.worker.ref(); // an import under way keeps the process alive until it answers
    state.worker.postMessage({ id, job });
  });
}

function rebuild(e: ImportJobError): Error {
  switch (e.kind) {
    case "import":
      return new ImportError(e.message, e);
    case "arena":
      return new ArenaError(e.code, e.message, { details: e.details });
    default: {
      const err = new Error(e.message);
      if (e.stack) err.stack = e.stack;
      return err;
    }
  }
}

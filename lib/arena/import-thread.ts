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
  /** Set by runImportInWorker: the worker's imports belong to this process (import-runs.ts). */
  processId?: string;
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

/**
 * Imports `job.file` in a worker thread. Resolves with the summary; rejects with the same errors
 * as an import on this thread would (ImportError for a bad file, ArenaError `import_running`).
 */
export function runImportInWorker(job: ImportJob): Promise<ImportSummary> {
  const worker = new Worker(/* turbopackIgnore: true */ ENTRY, {
    workerData: { ...job, processId: importProcessId() },
  });
  return new Promise((resolve, reject) => {
    let answered = false;
    worker.once("message", (result: ImportJobResult) => {
      answered = true;
      if (result.ok) resolve(result.summary);
      else reject(rebuild(result.error));
    });
    worker.once("error", (e) => {
      if (answered) return;
      answered = true;
      reject(e);
    });
    worker.once("exit", (code) => {
      if (answered) return;
      answered = true;
      reject(new Error(`the import's worker thread stopped (exit code ${code}) without an answer`));
    });
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

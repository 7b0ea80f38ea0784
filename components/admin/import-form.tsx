"use client";

import Link from "next/link";
import { useRef, useState } from "react";

const FORMATS = [
  ["auto", "Detect automatically"],
  ["prompt-set", "Prompt set (one prompt with all responses per record)"],
  ["response-rows", "Response rows (one response per row)"],
  ["battles", "Battles (two responses, optional winner)"],
  ["votes", "Votes only (FastChat CSV or clean_battle JSON)"],
] as const;

interface Summary {
  format: string;
  dryRun: boolean;
  records: number;
  imported: { prompts: number; responses: number; models: number; votes: number };
  skipped: number;
}

interface Failure {
  error: string;
  details?: { errors?: { message: string; line?: number; record?: number; field?: string }[] };
}

type Phase =
  | { kind: "idle" }
  | { kind: "uploading"; dryRun: boolean; sent: number; total: number }
  | { kind: "processing"; dryRun: boolean }
  | { kind: "preview"; summary: Summary }
  | { kind: "done"; summary: Summary }
  | { kind: "failed"; failure: Failure };

/** Uploads with XMLHttpRequest because fetch cannot report upload progress. */
function upload(
  file: File,
  params: URLSearchParams,
  onProgress: (sent: number, total: number) => void,
  onSent: () => void,
) {
  return new Promise<{ status: number; body: unknown }>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api/admin/import?${params}`);
    xhr.responseType = "json";
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.upload.onload = onSent;
    xhr.onload = () => resolve({ status: xhr.status, body: xhr.response });
    xhr.onerror = () =>
      reject(new Error("The upload failed: check your connection and try again."));
    xhr.setRequestHeader("Content-Type", "application/octet-stream");
    xhr.send(file);
  });
}

/** `demoSet`: the demo set is still in the arena; a real import then suggests removing it. */
export function ImportForm({ demoSet = false }: { demoSet?: boolean }) {
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<string>("auto");
  const [votes, setVotes] = useState(false);
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  async function run(dryRun: boolean) {
    if (!file) return;
    const params = new URLSearchParams({
      format,
      name: file.name,
      ...(dryRun ? { dryRun: "1" } : {}),
      ...(votes ? { votes: "1" } : {}),
    });
    setPhase({ kind: "uploading", dryRun, sent: 0, total: file.size });
    try {
      const res = await upload(
        file,
        params,
        (sent, total) => setPhase({ kind: "uploading", dryRun, sent, total }),
        () => setPhase({ kind: "processing", dryRun }),
      );
      if (res.status >= 200 && res.status < 300) {
        const summary = res.body as Summary;
        setPhase(dryRun ? { kind: "preview", summary } : { kind: "done", summary });
      } else {
        setPhase({
          kind: "failed",
          failure: (res.body as Failure | null) ?? { error: `The server answered ${res.status}.` },
        });
      }
    } catch (e) {
      setPhase({ kind: "failed", failure: { error: (e as Error).message } });
    }
  }

  function choose(f: File | null) {
    setFile(f);
    setPhase({ kind: "idle" });
  }

  const busy = phase.kind === "uploading" || phase.kind === "processing";
  return (
    <div className="flex flex-col gap-4">
      <label
        className={`card flex cursor-pointer flex-col items-center justify-center gap-2 border-2 border-dashed px-6 py-10 text-center ${dragging ? "border-indigo-500 bg-indigo-50 dark:bg-indigo-950" : ""}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          choose(e.dataTransfer.files[0] ?? null);
        }}
      >
        <span className="break-all text-sm font-medium">
          {file ? file.name : "Drop a file here, or click to choose one"}
        </span>
        <span className="text-xs text-zinc-500">
          {file ? `${(file.size / 1024).toFixed(1)} KB` : "JSONL, JSON or CSV"}
        </span>
        <input
          ref={input}
          type="file"
          name="file"
          className="sr-only"
          data-testid="import-file"
          accept=".jsonl,.ndjson,.json,.csv,text/csv,application/json"
          onChange={(e) => choose(e.target.files?.[0] ?? null)}
        />
      </label>
      <div className="flex flex-wrap items-end gap-4">
        {/* min-w-0 and a full-width select on a phone: the long labels would widen the page */}
        <label className="flex w-full min-w-0 flex-col gap-1 text-xs font-medium sm:w-auto">
          Format
          <select
            value={format}
            onChange={(e) => setFormat(e.target.value)}
            className="input w-full min-w-0 truncate"
            data-testid="import-format"
          >
            {FORMATS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={votes}
            onChange={(e) => setVotes(e.target.checked)}
            className="size-4"
            data-testid="import-votes"
          />
          Record battle winners as historical votes
        </label>
        <div className="ml-auto flex gap-2">
          <button
            type="button"
            className="btn"
            disabled={!file || busy}
            onClick={() => void run(true)}
            data-testid="import-preview"
          >
            Check (dry run)
          </button>
          <button
            type="button"
            className="btn-primary"
            disabled={!file || busy}
            onClick={() => void run(false)}
            data-testid="import-submit"
          >
            Import
          </button>
        </div>
      </div>
      {phase.kind === "uploading" && (
        <div className="flex flex-col gap-1" data-testid="import-progress">
          <progress
            max={phase.total || 1}
            value={phase.sent}
            className="h-2 w-full accent-indigo-600"
          />
          <span className="text-xs text-zinc-500">
            Uploading… {Math.round((phase.sent / (phase.total || 1)) * 100)}%
          </span>
        </div>
      )}
      {phase.kind === "processing" && (
        <div className="flex flex-col gap-1" data-testid="import-progress">
          <progress className="h-2 w-full accent-indigo-600" />
          <span className="text-xs text-zinc-500">
            {phase.dryRun ? "Checking every record…" : "Importing…"}
          </span>
        </div>
      )}
      {(phase.kind === "preview" || phase.kind === "done") && (
        <SummaryView summary={phase.summary} />
      )}
      {phase.kind === "done" && demoSet && addedAnything(phase.summary) && <RemoveDemoHint />}
      {phase.kind === "failed" && (
        <div
          role="alert"
          className="rounded-lg border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
          data-testid="import-error"
        >
          <p className="font-semibold">The file was refused; nothing was imported.</p>
          <p className="mt-1 font-mono text-xs">{phase.failure.error}</p>
        </div>
      )}
    </div>
  );
}

const addedAnything = (s: Summary) =>
  s.imported.prompts + s.imported.responses + s.imported.models + s.imported.votes > 0;

function RemoveDemoHint() {
  return (
    <div
      role="status"
      className="rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
      data-testid="remove-demo-hint"
    >
      <p>
        The demo set is still in the arena: its fictional models are ranked beside the ones you
        imported, although they never met.{" "}
        <Link href="/admin#demo-set" className="font-medium underline">
          Remove the demo set on the dashboard
        </Link>
        .
      </p>
    </div>
  );
}

function SummaryView({ summary }: { summary: Summary }) {
  const { imported: i } = summary;
  return (
    <div className="card px-4 py-3 text-sm" data-testid="import-summary">
      <p className="font-semibold">
        {summary.dryRun ? "Dry run: the file is valid. Importing it would add" : "Imported"}
      </p>
      <p className="mt-1">
        <span data-testid="summary-prompts">{i.prompts}</span> prompts, {i.responses} responses,{" "}
        {i.models} new models, <span data-testid="summary-votes">{i.votes}</span> votes — from{" "}
        {summary.records} records detected as{" "}
        <strong data-testid="summary-format">{summary.format}</strong>
        {summary.skipped > 0 && `; ${summary.skipped} already present or repeated, skipped`}.
      </p>
    </div>
  );
}

import Link from "next/link";
import type { ImportReport } from "@/lib/arena/stats";

const fmt = (n: number) => n.toLocaleString("en-US");
const when = (d: Date) => `${d.toISOString().replace("T", " ").slice(0, 16)} UTC`;
const plural = (n: number, one: string, many = `${one}s`) => `${fmt(n)} ${n === 1 ? one : many}`;

function addedText(r: ImportReport): string {
  const a = r.added;
  return [
    plural(a.prompts, "prompt"),
    plural(a.responses, "response"),
    plural(a.models, "new model"),
    plural(a.votes, "vote"),
  ].join(", ");
}

/** The file and when, the one line both reports start with. */
function Origin({ report }: { report: ImportReport }) {
  return (
    <>
      <span className="break-all font-medium">{report.fileName ?? "an upload"}</span> (
      {report.format}) on {when(report.at)}
    </>
  );
}

/**
 * The dashboard's "Last import": the newest import that added something, as figures, and a
 * line about a newer one that added nothing or failed.
 */
export function LastImport({
  last,
  latest,
}: {
  last: ImportReport | null;
  latest: ImportReport | null;
}) {
  return (
    <section className="card px-4 py-3 text-sm" data-testid="last-import">
      <h2 className="mb-2 font-semibold">Last import</h2>
      {last ? (
        <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-1">
          <dt className="text-zinc-600 dark:text-zinc-400">File</dt>
          <dd className="break-all" data-testid="last-import-file">
            {last.fileName ?? "an upload"}{" "}
            <span className="text-zinc-600 dark:text-zinc-400">({last.format})</span>
          </dd>
          <dt className="text-zinc-600 dark:text-zinc-400">When</dt>
          <dd>
            {when(last.at)}
            {last.userEmail && <span className="break-all"> by {last.userEmail}</span>}
          </dd>
          <dt className="text-zinc-600 dark:text-zinc-400">Added</dt>
          <dd data-testid="last-import-added">{addedText(last)}</dd>
          <dt className="text-zinc-600 dark:text-zinc-400">Records</dt>
          <dd>
            {fmt(last.records)} read
            {last.skipped > 0 && `, ${fmt(last.skipped)} already present or repeated`}
          </dd>
          <dt className="text-zinc-600 dark:text-zinc-400">Status</dt>
          <dd>{last.status === "done" ? "Done, no errors" : last.status}</dd>
        </dl>
      ) : (
        <p className="text-zinc-600 dark:text-zinc-400">
          {latest ? "No import has added anything yet. " : "Nothing imported yet. "}
          <Link href="/admin/import" className="text-indigo-700 underline dark:text-indigo-300">
            Load a prompt set
          </Link>
          .
        </p>
      )}
      {latest && (
        <p className="mt-2 text-zinc-600 dark:text-zinc-400" data-testid="latest-import">
          {latest.status === "failed" ? (
            <>
              The latest import, <Origin report={latest} />, failed and was rolled back:{" "}
              <span className="break-words">{latest.error ?? "no reason recorded"}</span>.
            </>
          ) : (
            <>
              The latest import, <Origin report={latest} />, added nothing:{" "}
              {latest.skipped === 0
                ? "the file held nothing new."
                : latest.skipped === 1
                  ? "its one record was already present."
                  : `its ${fmt(latest.skipped)} records were already present or repeated.`}
            </>
          )}
        </p>
      )}
    </section>
  );
}

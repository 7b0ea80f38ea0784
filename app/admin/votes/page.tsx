import type { Metadata } from "next";
import Link from "next/link";
import { z } from "zod";
import { SubjectToggle } from "@/components/admin/subject-toggle";
import { getDb } from "@/db";
import { listSuspects } from "@/lib/arena/anomalies";
import { recentVotes, voterSummaries } from "@/lib/arena/voter-review";
import { requireAdminPage } from "@/lib/auth/guard";
import { anomalySettings } from "@/lib/env";
import { pageQuery } from "@/lib/http/page-input";
import { WINNER } from "@/lib/winner";
import { decideSubject } from "./actions";

export const metadata: Metadata = { title: "Votes" };

const STATUS_LABEL = {
  flagged: "flagged, not counted",
  suspected: "flagged, still counted",
  cleared: "counted (cleared)",
  excluded: "excluded",
} as const;
const STATUS_STYLE = {
  flagged: "bg-red-100 text-red-800",
  suspected: "bg-amber-100 text-amber-900",
  cleared: "bg-emerald-100 text-emerald-900",
  excluded: "bg-red-100 text-red-800",
} as const;
/** `?voter=` narrows the recent votes to one voter id (any text; a NUL is a 404, see pageQuery). */
const VotesQuery = z.object({ voter: z.string().max(200).optional() });
const when = (d: Date) => d.toISOString().replace("T", " ").slice(0, 19);

export default async function VotesPage({ searchParams }: PageProps<"/admin/votes">) {
  await requireAdminPage("/admin/votes");
  const { voter: voterId } = pageQuery(VotesQuery, await searchParams);
  const db = await getDb();
  const votes = await recentVotes(db, { voterId, limit: 100 });
  const voters = await voterSummaries(db, { limit: 50 });
  const suspects = await listSuspects(db);
  const { alpha, autoExclude } = anomalySettings();
  return (
    <div className="flex flex-col gap-6">
      <section className="flex flex-col gap-2" data-testid="suspects">
        <h1 className="text-xl font-semibold">Flagged voters and addresses</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Every few seconds the arena checks each voter, and each address with every voter behind
          it, that has voted since: outcomes unlike everyone else&apos;s on the same pairs (the
          Chatbot Arena paper&apos;s test and a likelihood sum), always one side, always one model,
          and voting only when one model appears (battles are blind, so an honest choice to vote or
          skip cannot depend on the models). Records are judged at 10, 20, 40… votes with the level
          spread so that an honest voter or address is ever flagged with probability below {alpha}.
          A flagged one stops counting at once
          {autoExclude ? "" : " (automatic exclusion is off: flags are only listed)"}; its votes are
          kept and marked, and you can count them again.
        </p>
        {suspects.length === 0 ? (
          <p className="text-sm text-zinc-500">No voter or address stands out.</p>
        ) : (
          <ul className="flex flex-col gap-2">
            {suspects.map((f) => (
              <li
                key={`${f.kind}:${f.key}`}
                className="card flex flex-wrap items-center justify-between gap-3 px-4 py-2 text-sm"
                data-testid="suspect-row"
              >
                <span className="min-w-0 flex-1">
                  <span className="mr-2 rounded bg-zinc-100 px-1.5 text-xs dark:bg-zinc-800">
                    {f.kind}
                  </span>
                  {f.kind === "voter" ? (
                    <Link
                      href={`/admin/votes?voter=${encodeURIComponent(f.key)}`}
                      className="font-mono text-xs underline"
                    >
                      {f.key.slice(0, 12)}
                    </Link>
                  ) : (
                    <span className="font-mono text-xs" title="keyed digest of the address group">
                      {f.key.slice(0, 12)}
                    </span>
                  )}{" "}
                  <span className={`ml-1 rounded px-1.5 text-xs ${STATUS_STYLE[f.status]}`}>
                    {STATUS_LABEL[f.status]}
                  </span>{" "}
                  · {f.votes} votes · <span className="break-words">{f.reason}</span>
                  <span className="block text-xs text-zinc-500">
                    {f.decidedBy ? `decided by ${f.decidedBy}` : "flagged by the anomaly check"},{" "}
                    {when(f.updatedAt)} UTC
                  </span>
                </span>
                <SubjectToggle
                  kind={f.kind}
                  subjectKey={f.key}
                  excluded={f.excluded}
                  action={decideSubject}
                  testIdPrefix={`decide-${f.kind}`}
                />
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="flex flex-col gap-2">
        <h2 className="text-lg font-semibold">Voters</h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Excluding a voter leaves their votes out of every leaderboard at once (their votes are
          taken out of the tallies in the same transaction) and keeps their future votes out too.
        </p>
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: the table scrolls sideways on a phone; a keyboard can scroll only what takes focus (axe: scrollable-region-focusable) */}
        <section className="card overflow-x-auto" aria-label="Voters" tabIndex={0}>
          <table className="w-full min-w-[560px] text-sm" data-testid="voters-table">
            <thead className="text-left text-xs uppercase text-zinc-500">
              <tr>
                <th className="px-3 py-2">Voter</th>
                <th className="px-3 py-2 text-right">Votes</th>
                <th className="px-3 py-2 text-right">Left share</th>
                <th className="px-3 py-2">Last vote (UTC)</th>
                <th className="px-3 py-2">Action</th>
              </tr>
            </thead>
            <tbody>
              {voters.map((v) => (
                <tr
                  key={v.voterId}
                  className="border-t border-zinc-100 dark:border-zinc-800"
                  data-testid="voter-row"
                >
                  <td className="px-3 py-2 font-mono text-xs">
                    <Link
                      href={`/admin/votes?voter=${encodeURIComponent(v.voterId)}`}
                      className="underline"
                    >
                      {v.voterId.slice(0, 12)}
                    </Link>
                    {v.excluded && (
                      <span className="ml-2 rounded bg-red-100 px-1.5 text-red-800">excluded</span>
                    )}
                  </td>
                  <td className="px-3 py-2 text-right tabular-nums">{v.votes}</td>
                  <td className="px-3 py-2 text-right tabular-nums">
                    {v.leftShare === null ? "–" : `${Math.round(v.leftShare * 100)}%`}
                  </td>
                  <td className="px-3 py-2 tabular-nums">{when(v.lastVote)}</td>
                  <td className="px-3 py-2">
                    {v.voterId.startsWith("import:") ? (
                      <span className="text-xs text-zinc-500">imported</span>
                    ) : (
                      <SubjectToggle
                        kind="voter"
                        subjectKey={v.voterId}
                        excluded={v.excluded}
                        action={decideSubject}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {voters.length === 0 && <p className="px-3 py-4 text-sm text-zinc-500">No votes yet.</p>}
        </section>
      </section>
      <section className="flex flex-col gap-2">
        <h2 className="text-lg font-semibold">
          {voterId ? (
            <>
              Votes by <span className="font-mono">{voterId.slice(0, 12)}</span>{" "}
              <Link href="/admin/votes" className="text-sm font-normal underline">
                all voters
              </Link>
            </>
          ) : (
            "Recent votes"
          )}
        </h2>
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: the table scrolls sideways on a phone; a keyboard can scroll only what takes focus (axe: scrollable-region-focusable) */}
        <section className="card overflow-x-auto" aria-label="Votes" tabIndex={0}>
          <table className="w-full min-w-[720px] text-sm" data-testid="votes-table">
            <thead className="text-left text-xs uppercase text-zinc-500">
              <tr>
                <th className="px-3 py-2">When (UTC)</th>
                <th className="px-3 py-2">Prompt</th>
                <th className="px-3 py-2">Model A</th>
                <th className="px-3 py-2">Model B</th>
                <th className="px-3 py-2">Vote</th>
                <th className="px-3 py-2">Flags</th>
              </tr>
            </thead>
            <tbody>
              {votes.map((v) => (
                <tr
                  key={v.battleId}
                  className="border-t border-zinc-100 align-top dark:border-zinc-800"
                >
                  <td className="whitespace-nowrap px-3 py-2 tabular-nums">{when(v.votedAt)}</td>
                  <td className="max-w-xs px-3 py-2">
                    <span className="line-clamp-2">{v.prompt}</span>
                  </td>
                  <td className="px-3 py-2">{v.modelA}</td>
                  <td className="px-3 py-2">{v.modelB}</td>
                  <td className="px-3 py-2">{WINNER[v.winner].label}</td>
                  <td className="px-3 py-2 text-xs">
                    {v.identityLeak && (
                      <span className="mr-1 rounded bg-amber-100 px-1.5 text-amber-800">
                        identity leak
                      </span>
                    )}
                    {v.excluded && (
                      <span className="rounded bg-red-100 px-1.5 text-red-800">excluded</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {votes.length === 0 && <p className="px-3 py-4 text-sm text-zinc-500">No votes yet.</p>}
        </section>
      </section>
    </div>
  );
}

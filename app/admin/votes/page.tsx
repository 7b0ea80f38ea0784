import type { Metadata } from "next";
import Link from "next/link";
import { VoterToggle } from "@/components/admin/voter-toggle";
import { getDb } from "@/db";
import { flaggedVoters } from "@/lib/arena/anomalies";
import { recentVotes, voterSummaries } from "@/lib/arena/voters";
import { requireAdminPage } from "@/lib/auth/guard";
import { toggleVoter } from "./actions";

export const metadata: Metadata = { title: "Votes" };

const WINNER_LABEL = { a: "A", b: "B", tie: "Tie", bothbad: "Both bad" } as const;
const when = (d: Date) => d.toISOString().replace("T", " ").slice(0, 19);

export default async function VotesPage({ searchParams }: PageProps<"/admin/votes">) {
  await requireAdminPage("/admin/votes");
  const sp = await searchParams;
  const voterId = typeof sp.voter === "string" ? sp.voter : undefined;
  const db = getDb();
  const votes = recentVotes(db, { voterId, limit: 100 });
  const voters = voterSummaries(db, { limit: 50 });
  const flagged = flaggedVoters(db);
  return (
    <div className="flex flex-col gap-6">
      <section className="flex flex-col gap-2" data-testid="flagged-voters">
        <h1 className="text-xl font-semibold">Flagged voters</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Each vote is compared with how everyone else voted on the same pair (the Chatbot Arena
          paper&apos;s per-vote p-values, combined with Fisher&apos;s method), plus tests for always
          picking one side or one model, with a Bonferroni correction over checkpoints at 10, 20,
          40… votes; flagged below a family-wise p of 0.02.
        </p>
        {flagged.length === 0 ? (
          <p className="text-sm text-zinc-500">No voter stands out.</p>
        ) : (
          <ul className="flex flex-col gap-2">
            {flagged.map((f) => (
              <li
                key={f.voterId}
                className="card flex flex-wrap items-center justify-between gap-3 px-4 py-2 text-sm"
              >
                <span>
                  <Link
                    href={`/admin/votes?voter=${encodeURIComponent(f.voterId)}`}
                    className="font-mono text-xs underline"
                  >
                    {f.voterId.slice(0, 12)}
                  </Link>{" "}
                  · {f.votes} votes · {f.reason}
                  {f.excluded && (
                    <span className="ml-2 rounded bg-red-100 px-1.5 text-red-800">excluded</span>
                  )}
                </span>
                <VoterToggle
                  voterId={f.voterId}
                  excluded={f.excluded}
                  action={toggleVoter}
                  testIdPrefix="toggle-flagged"
                />
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="flex flex-col gap-2">
        <h2 className="text-lg font-semibold">Voters</h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Excluding a voter leaves their votes out of every leaderboard (recomputed from the battles
          at once) and keeps their future votes out too.
        </p>
        <div className="card overflow-x-auto">
          <table className="w-full min-w-[560px] text-sm" data-testid="voters-table">
            <thead className="text-left text-xs uppercase text-zinc-500">
              <tr>
                <th className="px-3 py-2">Voter</th>
                <th className="px-3 py-2 text-right">Votes</th>
                <th className="px-3 py-2 text-right">Left share</th>
                <th className="px-3 py-2">Last vote (UTC)</th>
                <th className="px-3 py-2" />
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
                    <VoterToggle voterId={v.voterId} excluded={v.excluded} action={toggleVoter} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {voters.length === 0 && <p className="px-3 py-4 text-sm text-zinc-500">No votes yet.</p>}
        </div>
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
        <div className="card overflow-x-auto">
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
                  <td className="px-3 py-2">{WINNER_LABEL[v.winner]}</td>
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
        </div>
      </section>
    </div>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { fmtInt, fmtPct, fmtRating } from "@/components/leaderboard/display";
import { Interval, IntervalFootnote } from "@/components/leaderboard/interval";
import { getDb } from "@/db";
import { modelProfile } from "@/lib/arena/model-profile";
import { leaderboardSettings } from "@/lib/env";
import { decodeSegment } from "@/lib/http/page-input";
import { externalLink } from "@/lib/render/external-link";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: PageProps<"/models/[slug]">): Promise<Metadata> {
  const { slug } = await params;
  return { title: decodeSegment(slug) };
}

export default async function ModelPage({ params }: PageProps<"/models/[slug]">) {
  const { slug } = await params;
  const settings = leaderboardSettings();
  const profile = await modelProfile(await getDb(), decodeSegment(slug), settings);
  if (!profile) notFound();
  // checked again where it becomes an href: only http(s) is ever drawn as a link
  const link = externalLink(profile.link);
  return (
    <div className="flex flex-col gap-6">
      <div>
        <p className="text-sm">
          <Link href="/leaderboard" className="text-indigo-600 underline dark:text-indigo-400">
            ← Leaderboard
          </Link>
        </p>
        <h1 className="mt-1 text-2xl font-semibold tracking-tight" data-testid="model-name">
          {profile.displayName}
        </h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          {[profile.organization, profile.license].filter(Boolean).join(" · ")}
          {link && (
            <>
              {" · "}
              <a href={link.href} rel="noopener noreferrer" className="underline">
                {link.host}
              </a>
            </>
          )}
          {profile.deprecated && " · deprecated"}
        </p>
      </div>
      <section className="flex flex-col gap-2">
        <h2 className="text-lg font-semibold">By category</h2>
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: the table may scroll sideways on a phone; a keyboard can scroll only what takes focus (axe: scrollable-region-focusable) */}
        <section className="card overflow-x-auto" aria-label="By category" tabIndex={0}>
          <table className="w-full text-sm" data-testid="model-categories">
            <thead className="text-left text-xs uppercase text-zinc-500 dark:text-zinc-400">
              <tr>
                <th className="px-2 py-2 sm:px-3">Category</th>
                <th className="px-2 py-2 sm:px-3 text-right">Rank (UB)</th>
                <th className="px-2 py-2 sm:px-3 text-right">Score</th>
                <th className="px-2 py-2 sm:px-3 text-right">95% CI</th>
                <th className="px-2 py-2 sm:px-3 text-right">Votes</th>
              </tr>
            </thead>
            <tbody>
              {profile.categories.map(({ category, name, entry, models }) => (
                <tr key={category} className="border-t border-zinc-100 dark:border-zinc-800">
                  <td className="px-2 py-2 sm:px-3">
                    <Link
                      href={
                        category === "overall"
                          ? "/leaderboard"
                          : `/leaderboard/${encodeURIComponent(category)}`
                      }
                      className="hover:underline"
                    >
                      {name}
                    </Link>
                  </td>
                  <td className="px-2 py-2 sm:px-3 text-right tabular-nums">
                    {entry.rank}{" "}
                    <span className="text-zinc-500 dark:text-zinc-400">of {models}</span>
                  </td>
                  <td className="px-2 py-2 sm:px-3 text-right font-semibold tabular-nums">
                    {fmtRating(entry.rating)}
                  </td>
                  <td className="px-2 py-2 sm:px-3 text-right tabular-nums text-zinc-500 dark:text-zinc-400">
                    <Interval entry={entry} minVotes={settings.minVotes} />
                  </td>
                  <td className="px-2 py-2 sm:px-3 text-right tabular-nums">
                    {fmtInt(entry.votes)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <IntervalFootnote
            entries={profile.categories.map((c) => c.entry)}
            minVotes={settings.minVotes}
          />
          {profile.categories.length === 0 && (
            <p className="px-3 py-4 text-sm text-zinc-500 dark:text-zinc-400">
              No counted votes yet.
            </p>
          )}
        </section>
      </section>
      <section className="flex flex-col gap-2">
        <h2 className="text-lg font-semibold">Against each opponent (overall)</h2>
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: the table may scroll sideways on a phone; a keyboard can scroll only what takes focus (axe: scrollable-region-focusable) */}
        <section className="card overflow-x-auto" aria-label="Against each opponent" tabIndex={0}>
          <table className="w-full text-sm" data-testid="model-opponents">
            <thead className="text-left text-xs uppercase text-zinc-500 dark:text-zinc-400">
              <tr>
                <th className="px-2 py-2 sm:px-3">Opponent</th>
                <th className="px-2 py-2 sm:px-3 text-right">Won</th>
                <th className="px-2 py-2 sm:px-3 text-right">Lost</th>
                <th className="px-2 py-2 sm:px-3 text-right">Tie</th>
                <th className="px-2 py-2 sm:px-3 text-right">Both bad</th>
                <th className="px-2 py-2 sm:px-3 text-right">Win share</th>
              </tr>
            </thead>
            <tbody>
              {profile.opponents.map((o) => (
                <tr key={o.model} className="border-t border-zinc-100 dark:border-zinc-800">
                  <td className="px-2 py-2 sm:px-3">
                    <Link
                      href={`/models/${encodeURIComponent(o.model)}`}
                      className="hover:underline"
                    >
                      {o.displayName}
                    </Link>
                  </td>
                  <td className="px-2 py-2 sm:px-3 text-right tabular-nums">{o.wins}</td>
                  <td className="px-2 py-2 sm:px-3 text-right tabular-nums">{o.losses}</td>
                  <td className="px-2 py-2 sm:px-3 text-right tabular-nums">{o.ties}</td>
                  <td className="px-2 py-2 sm:px-3 text-right tabular-nums">{o.bothBad}</td>
                  <td className="px-2 py-2 sm:px-3 text-right tabular-nums">
                    {fmtPct(o.winFraction)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {profile.opponents.length === 0 && (
            <p className="px-3 py-4 text-sm text-zinc-500 dark:text-zinc-400">No battles yet.</p>
          )}
        </section>
      </section>
    </div>
  );
}

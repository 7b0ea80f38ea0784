import Link from "next/link";
import type { CategoryInfo, LeaderboardMethod, LeaderboardView } from "@/lib/arena/leaderboard";
import type { LeaderboardQuery } from "@/lib/http/leaderboard-query";
import { LiveLeaderboard } from "./live-leaderboard";

/**
 * The leaderboard page for one category; the category and CI method live in the URL so a view
 * can be linked. Its data comes from the page (app/leaderboard/load.ts).
 */
const METHODS: { method: LeaderboardMethod; label: string; title: string }[] = [
  {
    method: "bootstrap",
    label: "bootstrap",
    title: "Intervals from refitting on resampled votes (FastChat's method)",
  },
  {
    method: "sandwich",
    label: "sandwich",
    title: "Robust (sandwich) intervals from the fit itself",
  },
  {
    method: "reweighted",
    label: "reweighted",
    title:
      "LMArena's 2025 intervals: sandwich, each vote weighted 1/max(votes of its pair, 50), so pairs shown more often do not make intervals look tighter",
  },
];

export function LeaderboardPage({
  query,
  view,
  categories,
  defaultMethod,
}: {
  query: LeaderboardQuery;
  view: LeaderboardView;
  categories: CategoryInfo[];
  /** The view without ?ci= (LEADERBOARD_REWEIGHT): links leave the method out when it is this one. */
  defaultMethod: LeaderboardMethod;
}) {
  const suffix = (over: Partial<{ ci: string; deprecated: boolean }>) => {
    const ci = over.ci ?? query.ci;
    const deprecated = over.deprecated ?? query.deprecated;
    const qs = new URLSearchParams({
      ...(ci !== defaultMethod ? { ci } : {}),
      ...(deprecated ? { deprecated: "1" } : {}),
    }).toString();
    return qs ? `?${qs}` : "";
  };
  const path = (category: string) =>
    category === "overall" ? "/leaderboard" : `/leaderboard/${encodeURIComponent(category)}`;
  const csv = `/api/leaderboard?${new URLSearchParams({ category: query.category, ci: query.ci, format: "csv", ...(query.deprecated ? { deprecated: "1" } : {}) })}`;
  return (
    <div className="flex flex-col gap-5">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">
            Leaderboard · {view.categoryName}
          </h1>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            Bradley–Terry scores from blind pairwise votes (ties count half), with 95% confidence
            intervals.
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-2 text-sm">
          <span className="text-zinc-500 dark:text-zinc-400">CI:</span>
          {METHODS.map((m) => (
            <Link
              key={m.method}
              href={`${path(query.category)}${suffix({ ci: m.method })}`}
              title={m.title}
              aria-current={query.ci === m.method ? "true" : undefined}
              className="rounded-md border border-zinc-300 px-2.5 py-1 aria-[current=true]:border-indigo-600 aria-[current=true]:bg-indigo-600 aria-[current=true]:text-white dark:border-zinc-700"
            >
              {m.label}
            </Link>
          ))}
          <Link
            href={`${path(query.category)}${suffix({ deprecated: !query.deprecated })}`}
            className="rounded-md border border-zinc-300 px-2.5 py-1 dark:border-zinc-700"
          >
            {query.deprecated ? "Hide deprecated" : "Show deprecated"}
          </Link>
          <a href={csv} download className="btn" data-testid="csv-download">
            Download CSV
          </a>
        </div>
      </div>
      <nav
        aria-label="Categories"
        className="-mx-1 flex gap-1 overflow-x-auto pb-1"
        data-testid="category-switcher"
      >
        {categories.map((c) => (
          <Link
            key={c.category}
            href={`${path(c.category)}${suffix({})}`}
            aria-current={c.category === query.category ? "page" : undefined}
            className="whitespace-nowrap rounded-full border border-zinc-200 px-3 py-1 text-sm hover:border-indigo-400 aria-[current=page]:border-indigo-600 aria-[current=page]:bg-indigo-600 aria-[current=page]:text-white dark:border-zinc-700"
          >
            {c.name}{" "}
            <span
              className={`tabular-nums ${c.category === query.category ? "text-indigo-100" : "text-zinc-500 dark:text-zinc-400"}`}
            >
              {c.votes}
            </span>
          </Link>
        ))}
      </nav>
      <LiveLeaderboard initial={view} includeDeprecated={query.deprecated} />
    </div>
  );
}

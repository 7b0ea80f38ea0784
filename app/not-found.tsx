import Link from "next/link";

/** Every 404 — an unknown address, or one whose options (category, page, model) name nothing. */
export default function NotFound() {
  return (
    <div className="mx-auto flex max-w-xl flex-col gap-3 py-12 text-center" data-testid="not-found">
      <h1 className="text-2xl font-semibold tracking-tight">Not found</h1>
      <p className="text-zinc-600 dark:text-zinc-400">
        Nothing here: the page, or an option in its address (a category, a model, a page number),
        does not exist.
      </p>
      <p className="flex justify-center gap-4 text-sm">
        <Link href="/" className="text-indigo-600 underline">
          Vote
        </Link>
        <Link href="/leaderboard" className="text-indigo-600 underline">
          Leaderboard
        </Link>
      </p>
    </div>
  );
}

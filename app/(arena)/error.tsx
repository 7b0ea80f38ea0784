"use client";

export default function ArenaError({ reset }: { error: Error; reset: () => void }) {
  return (
    <div
      role="alert"
      className="mx-auto max-w-xl rounded-xl border border-amber-300 bg-amber-50 px-6 py-8 text-center text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
    >
      <h1 className="text-lg font-semibold">The arena could not load a battle</h1>
      <p className="mt-2 text-sm">This is usually brief. Try again in a moment.</p>
      <button
        type="button"
        onClick={reset}
        className="mt-4 rounded-lg bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
      >
        Try again
      </button>
    </div>
  );
}

import type { Winner } from "./types";

export const VOTE_KEYS: Record<string, Winner> = { a: "a", b: "b", t: "tie", x: "bothbad" };

const CHOICES: { winner: Winner; label: string; short: string; key: string }[] = [
  { winner: "a", label: "A is better", short: "A is better", key: "A" },
  { winner: "b", label: "B is better", short: "B is better", key: "B" },
  { winner: "tie", label: "Tie", short: "Tie", key: "T" },
  { winner: "bothbad", label: "Both are bad", short: "Both bad", key: "X" },
];

export function VoteBar(props: {
  disabled: boolean;
  chosen: Winner | null;
  onVote: (w: Winner) => void;
  /** After the vote a phone shows the reveal in the buttons' place. */
  compactAfterVote?: boolean;
}) {
  return (
    <fieldset
      className={`grid grid-cols-4 gap-1.5 sm:gap-2 ${props.compactAfterVote ? "max-sm:hidden" : ""}`}
      data-testid="vote-bar"
    >
      <legend className="sr-only">Which response is better?</legend>
      {CHOICES.map((c) => (
        <button
          key={c.winner}
          type="button"
          data-testid={`vote-${c.winner}`}
          disabled={props.disabled}
          aria-pressed={props.chosen === c.winner}
          aria-keyshortcuts={c.key}
          onClick={() => props.onVote(c.winner)}
          className="flex items-center justify-center gap-2 rounded-lg border border-zinc-300 bg-white px-1 py-2.5 text-sm font-medium leading-tight sm:px-3 sm:py-3 shadow-sm transition hover:border-indigo-400 hover:bg-indigo-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed disabled:opacity-50 aria-pressed:border-indigo-600 aria-pressed:bg-indigo-600 aria-pressed:text-white aria-pressed:opacity-100 dark:border-zinc-700 dark:bg-zinc-900 dark:hover:bg-zinc-800"
        >
          <span className="sm:hidden">{c.short}</span>
          <span className="max-sm:hidden">{c.label}</span>
          <kbd className="rounded border border-current/30 px-1.5 font-mono text-xs opacity-70 max-sm:hidden pointer-coarse:hidden">
            {c.key}
          </kbd>
        </button>
      ))}
    </fieldset>
  );
}

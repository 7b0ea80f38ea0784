"use client";

import { useActionState } from "react";
import type { DemoSetCounts } from "@/lib/arena/demo-set";
import type { ActionState } from "@/lib/http/action";

const plural = (n: number, one: string) =>
  `${n.toLocaleString("en-US")} ${n === 1 ? one : `${one}s`}`;

/**
 * The demo set on the dashboard, with its removal behind a typed confirmation. Stays mounted
 * once the set is gone (counts null) to say what was removed.
 */
export function DemoSetCard({
  counts,
  realData,
  confirmation,
  action,
}: {
  counts: DemoSetCounts | null;
  /** Prompts from imports are in the arena too: the demo models are ranked beside real ones. */
  realData: boolean;
  confirmation: string;
  action: (prev: ActionState, form: FormData) => Promise<ActionState>;
}) {
  const [state, formAction, pending] = useActionState(action, {});
  if (!counts) {
    return state.ok ? (
      <p
        role="status"
        className="card px-4 py-3 text-sm text-emerald-800 dark:text-emerald-300"
        data-testid="demo-removed"
      >
        {state.ok}
      </p>
    ) : null;
  }
  const removal = (
    <>
      <form action={formAction} className="mt-3 flex flex-wrap items-end gap-3">
        <label className="flex min-w-0 flex-col gap-1 text-xs font-medium">
          <span>
            Type <kbd className="font-mono">{confirmation}</kbd> to confirm
          </span>
          <input
            name="confirm"
            required
            autoComplete="off"
            spellCheck={false}
            className="input w-56 max-w-full"
            aria-invalid={state.fields?.confirm ? true : undefined}
            aria-describedby="demo-set-result"
            data-testid="demo-confirm"
          />
        </label>
        <button type="submit" disabled={pending} className="btn-danger" data-testid="demo-remove">
          {pending ? "Removing…" : "Remove the demo set"}
        </button>
      </form>
      <p id="demo-set-result" aria-live="polite" className="mt-2 text-sm">
        {state.error && <span className="text-red-700 dark:text-red-300">{state.error}</span>}
      </p>
      <p className="text-xs text-zinc-600 dark:text-zinc-400">
        Its prompts, their responses and votes, and the demo models go, in one step that cannot be
        undone; the leaderboard is counted again without them. Models your imports use stay.
      </p>
    </>
  );
  return (
    <section
      id="demo-set"
      aria-labelledby="demo-set-title"
      className={`card px-4 py-3 text-sm ${realData ? "border-amber-400 dark:border-amber-700" : ""}`}
      data-testid="demo-set"
    >
      <h2 id="demo-set-title" className="mb-1 font-semibold">
        Demo data
      </h2>
      <p>
        The arena still holds the demo set written for trying it out:{" "}
        {plural(counts.prompts, "prompt")}, {plural(counts.responses, "response")},{" "}
        {plural(counts.models, "fictional model")} and {plural(counts.votes, "vote")} on them.{" "}
        {realData
          ? "Your imported data is here too, so the demo models are ranked beside your models although they never met: remove the demo set."
          : "Remove it before you import your own prompts, or keep it to try the arena out."}
      </p>
      {realData ? (
        removal
      ) : (
        // nothing else in the arena yet: the way out is there, but folded
        <details className="mt-2">
          <summary className="cursor-pointer font-medium">Remove the demo set…</summary>
          {removal}
        </details>
      )}
    </section>
  );
}

"use client";

import { useActionState } from "react";
import type { ActionState } from "@/lib/http/action";

/** Puts every prompt through the classifier again: after an upgrade that changed it. */
export function ReclassifyButton({
  action,
}: {
  action: (prev: ActionState, form: FormData) => Promise<ActionState>;
}) {
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <form action={formAction} className="flex flex-wrap items-center gap-3">
      <button type="submit" className="btn" disabled={pending} data-testid="reclassify">
        {pending ? "Reclassifying…" : "Reclassify every prompt"}
      </button>
      <span className="text-xs text-zinc-500">
        Math, coding, language, multi-turn and longer-query decided again by the current classifier;
        tags and categories you added stay; the leaderboards follow.
      </span>
      {(state.ok ?? state.error) && (
        <p
          aria-live="polite"
          data-testid="reclassify-result"
          className={`w-full text-sm ${state.error ? "text-red-600" : "text-emerald-700 dark:text-emerald-400"}`}
        >
          {state.error ?? state.ok}
        </p>
      )}
    </form>
  );
}

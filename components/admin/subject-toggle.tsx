"use client";

import { useActionState } from "react";
import type { ActionState } from "@/lib/http/action";

/** Excludes a voter or an address, or counts it again: one button, its state from the server. */
export function SubjectToggle(props: {
  kind: "voter" | "address";
  subjectKey: string;
  excluded: boolean;
  /** Distinguishes the same subject's buttons in different lists. */
  testIdPrefix?: string;
  action: (prev: ActionState, form: FormData) => Promise<ActionState>;
}) {
  const [state, formAction, pending] = useActionState(props.action, {});
  return (
    <form action={formAction} className="flex items-center gap-2">
      <input type="hidden" name="kind" value={props.kind} />
      <input type="hidden" name="key" value={props.subjectKey} />
      <input type="hidden" name="decision" value={props.excluded ? "cleared" : "excluded"} />
      <button
        type="submit"
        disabled={pending}
        className={props.excluded ? "btn" : "btn-danger"}
        data-testid={`${props.testIdPrefix ?? `toggle-${props.kind}`}-${props.subjectKey}`}
      >
        {props.excluded ? "Count again" : "Exclude"}
      </button>
      {state.error && <span className="text-xs text-red-600">{state.error}</span>}
      {state.ok && <span className="text-xs text-zinc-500">{state.ok}</span>}
    </form>
  );
}

"use client";

import { useActionState } from "react";
import type { ActionState } from "@/lib/http/action";

export function VoterToggle(props: {
  voterId: string;
  excluded: boolean;
  /** Distinguishes the same voter's buttons in different lists. */
  testIdPrefix?: string;
  action: (prev: ActionState, form: FormData) => Promise<ActionState>;
}) {
  const [state, formAction, pending] = useActionState(props.action, {});
  return (
    <form action={formAction} className="flex items-center gap-2">
      <input type="hidden" name="voterId" value={props.voterId} />
      <input type="hidden" name="excluded" value={String(!props.excluded)} />
      <button
        type="submit"
        disabled={pending}
        className={props.excluded ? "btn" : "btn-danger"}
        data-testid={`${props.testIdPrefix ?? "toggle-voter"}-${props.voterId}`}
      >
        {props.excluded ? "Include" : "Exclude"}
      </button>
      {state.error && <span className="text-xs text-red-600">{state.error}</span>}
    </form>
  );
}

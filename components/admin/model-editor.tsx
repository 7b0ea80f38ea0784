"use client";

import { useActionState } from "react";
import type { ModelRow as Model } from "@/lib/arena/models";
import type { ActionState } from "@/lib/http/action";

export function ModelEditor({
  model,
  action,
}: {
  model: Model;
  action: (prev: ActionState, form: FormData) => Promise<ActionState>;
}) {
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <form
      action={formAction}
      className="card flex flex-col gap-3 px-4 py-3"
      data-testid={`model-${model.slug}`}
    >
      <input type="hidden" name="id" value={model.id} />
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <p className="font-mono text-xs text-zinc-500">{model.slug}</p>
        <p className="text-xs text-zinc-500">
          {model.responses} responses · {model.votes} votes
        </p>
      </div>
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <label className="flex flex-col gap-1 text-xs font-medium">
          Display name
          <input
            name="displayName"
            defaultValue={model.displayName}
            required
            maxLength={100}
            className="input"
          />
        </label>
        <label className="flex flex-col gap-1 text-xs font-medium">
          Organization
          <input
            name="organization"
            defaultValue={model.organization}
            maxLength={100}
            className="input"
          />
        </label>
        <label className="flex flex-col gap-1 text-xs font-medium">
          License
          <input name="license" defaultValue={model.license} maxLength={100} className="input" />
        </label>
        <label className="flex flex-col gap-1 text-xs font-medium">
          Link
          <input
            name="link"
            type="url"
            defaultValue={model.link ?? ""}
            placeholder="https://…"
            className="input"
          />
        </label>
      </div>
      <div className="flex flex-wrap items-center gap-4 text-sm">
        <label className="flex items-center gap-2">
          <input type="checkbox" name="hidden" defaultChecked={model.hidden} className="size-4" />{" "}
          Hidden
        </label>
        <label className="flex items-center gap-2">
          <input
            type="checkbox"
            name="deprecated"
            defaultChecked={model.deprecated}
            className="size-4"
          />{" "}
          Deprecated
        </label>
        <button type="submit" disabled={pending} className="btn-primary ml-auto">
          {pending ? "Saving…" : "Save"}
        </button>
      </div>
      <p aria-live="polite" className="text-sm">
        {state.error && <span className="text-red-600">{state.error}</span>}
        {state.ok && <span className="text-emerald-700 dark:text-emerald-400">{state.ok}</span>}
      </p>
    </form>
  );
}

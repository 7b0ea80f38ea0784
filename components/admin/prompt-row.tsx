"use client";

import { useActionState } from "react";
import type { PromptRow } from "@/lib/arena/prompts";
import type { ActionState } from "@/lib/http/action";

type Action = (prev: ActionState, form: FormData) => Promise<ActionState>;

export function PromptRowEditor({
  prompt,
  saveCategories,
  toggle,
}: {
  prompt: PromptRow;
  saveCategories: Action;
  toggle: Action;
}) {
  const [catState, catAction, catPending] = useActionState(saveCategories, {});
  const [toggleState, toggleAction, togglePending] = useActionState(toggle, {});
  const message = catState.error ?? toggleState.error ?? catState.ok ?? toggleState.ok;
  const isError = !!(catState.error ?? toggleState.error);
  return (
    <div
      className={`card flex flex-col gap-2 px-4 py-3 ${prompt.disabled ? "opacity-60" : ""}`}
      data-testid={`prompt-${prompt.id}`}
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2 text-xs text-zinc-500">
        <span>
          #{prompt.id} · {prompt.language} · {prompt.responses} responses ·{" "}
          {prompt.source || "import"}
          {prompt.disabled && <strong className="ml-2 text-amber-700">disabled</strong>}
        </span>
      </div>
      <p className="line-clamp-3 whitespace-pre-wrap text-sm">{prompt.text}</p>
      {prompt.why.length > 0 && (
        <ul className="text-xs text-zinc-500" data-testid="category-reasons">
          {prompt.why.map((w) => (
            <li key={w.category}>
              <span className="font-medium">{w.category}</span> because {w.reasons}
            </li>
          ))}
        </ul>
      )}
      <div className="flex flex-wrap items-end gap-2">
        <form action={catAction} className="flex min-w-0 flex-1 items-end gap-2">
          <input type="hidden" name="id" value={prompt.id} />
          <label className="flex min-w-0 flex-1 flex-col gap-1 text-xs font-medium">
            Categories (comma-separated)
            <input
              name="categories"
              defaultValue={prompt.categories.join(", ")}
              className="input"
            />
          </label>
          <button type="submit" className="btn" disabled={catPending}>
            {catPending ? "Saving…" : "Save"}
          </button>
        </form>
        <form action={toggleAction}>
          <input type="hidden" name="id" value={prompt.id} />
          <input type="hidden" name="disabled" value={String(!prompt.disabled)} />
          <button
            type="submit"
            className={prompt.disabled ? "btn" : "btn-danger"}
            disabled={togglePending}
          >
            {prompt.disabled ? "Enable" : "Disable"}
          </button>
        </form>
      </div>
      {message && (
        <p
          aria-live="polite"
          className={`text-sm ${isError ? "text-red-600" : "text-emerald-700 dark:text-emerald-400"}`}
        >
          {message}
        </p>
      )}
    </div>
  );
}

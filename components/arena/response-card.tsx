import { Markdown } from "@/components/markdown";
import type { RevealedModel } from "./types";

export function ResponseCard(props: {
  side: "a" | "b";
  text: string;
  revealed?: RevealedModel;
  outcome?: "won" | "lost" | "tie" | "bad";
}) {
  const label = props.side === "a" ? "Model A" : "Model B";
  const ring =
    props.outcome === "won"
      ? "border-emerald-500 ring-2 ring-emerald-500/30"
      : "border-zinc-200 dark:border-zinc-800";
  return (
    <section
      aria-label={label}
      data-testid={`response-${props.side}`}
      className={`flex min-w-0 flex-col rounded-xl border bg-white shadow-sm dark:bg-zinc-900 ${ring}`}
    >
      <header className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1 border-b border-zinc-100 px-4 py-2.5 dark:border-zinc-800">
        <h2 className="text-sm font-semibold text-zinc-500 dark:text-zinc-400">{label}</h2>
        {props.revealed && (
          <p data-testid={`model-${props.side}`} className="text-sm">
            <span className="font-semibold text-zinc-900 dark:text-zinc-50">
              {props.revealed.displayName}
            </span>
            {props.revealed.organization && (
              <span className="text-zinc-500 dark:text-zinc-400">
                {" "}
                · {props.revealed.organization}
              </span>
            )}
            {props.outcome === "won" && (
              <span className="ml-2 text-emerald-700 dark:text-emerald-400">✓ your pick</span>
            )}
          </p>
        )}
      </header>
      <div className="min-w-0 px-4 py-3">
        <Markdown>{props.text}</Markdown>
      </div>
    </section>
  );
}

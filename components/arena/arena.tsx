"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { Markdown } from "@/components/markdown";
import { ApiError, becomeVoter, fetchBattle, sendVote } from "./api";
import { ResponseCard } from "./response-card";
import type { BattleView, Reveal, Winner } from "./types";
import { VOTE_KEYS, VoteBar } from "./vote-bar";

/** What the server rendered: the voter's open battle, or nothing yet (the browser draws one). */
export type ArenaInitial = { kind: "battle"; battle: BattleView } | { kind: "draw" };

type State =
  | { phase: "voting"; battle: BattleView }
  | { phase: "sending"; battle: BattleView; winner: Winner }
  | { phase: "revealed"; battle: BattleView; winner: Winner; reveal: Reveal }
  | { phase: "loading"; battle?: BattleView; note?: string }
  | { phase: "empty" }
  | { phase: "error"; message: string; battle?: BattleView; canRetryVote?: Winner };

function initialState(init: ArenaInitial): State {
  if (init.kind === "battle") return { phase: "voting", battle: init.battle };
  return { phase: "loading" };
}

function outcomeFor(side: "a" | "b", winner: Winner) {
  if (winner === "tie") return "tie" as const;
  if (winner === "bothbad") return "bad" as const;
  return winner === side ? ("won" as const) : ("lost" as const);
}

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));
}

export function Arena({ initial }: { initial: ArenaInitial }) {
  const [state, setState] = useState<State>(() => initialState(initial));
  const topRef = useRef<HTMLDivElement>(null);

  const newBattle = useCallback(async () => {
    setState((s) => ({ phase: "loading", battle: "battle" in s ? s.battle : undefined }));
    try {
      let battle: BattleView;
      try {
        battle = await fetchBattle();
      } catch (e) {
        // Public arenas ask a new voter for a second of proof of work (ARENA_VOTER_CHALLENGE).
        if (!(e instanceof ApiError && e.code === "challenge_required")) throw e;
        setState((s) => ({ ...s, phase: "loading", note: "Checking your browser…" }));
        await becomeVoter();
        battle = await fetchBattle();
      }
      setState({ phase: "voting", battle });
      topRef.current?.scrollIntoView({ block: "start" });
    } catch (e) {
      if (e instanceof ApiError && e.code === "arena_empty") setState({ phase: "empty" });
      else setState({ phase: "error", message: (e as Error).message });
    }
  }, []);

  // The page writes nothing (crawlers and link previews get no voter and no battle): the
  // browser asks for the first battle itself.
  const drawOnMount = useRef(initial.kind === "draw");
  useEffect(() => {
    if (!drawOnMount.current) return;
    drawOnMount.current = false;
    void newBattle();
  }, [newBattle]);

  const vote = useCallback(
    async (winner: Winner) => {
      if (
        state.phase !== "voting" &&
        !(state.phase === "error" && state.canRetryVote && state.battle)
      )
        return;
      const battle = state.battle as BattleView;
      setState({ phase: "sending", battle, winner });
      try {
        const reveal = await sendVote(battle.id, winner);
        setState({ phase: "revealed", battle, winner, reveal });
      } catch (e) {
        const err = e as ApiError;
        // Only a network failure leaves the vote worth retrying; an expired or unknown battle is over.
        setState({
          phase: "error",
          message: err.message,
          battle,
          canRetryVote: err.status === 0 ? winner : undefined,
        });
      }
    },
    [state],
  );

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      const key = e.key.toLowerCase();
      if (state.phase === "voting" && key in VOTE_KEYS) {
        e.preventDefault();
        void vote(VOTE_KEYS[key] as Winner);
      } else if (key === "n" && (state.phase === "revealed" || state.phase === "error")) {
        e.preventDefault();
        void newBattle();
      }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [state.phase, vote, newBattle]);

  if (state.phase === "empty") return <EmptyArena />;

  const battle = "battle" in state ? state.battle : undefined;
  const revealed = state.phase === "revealed" ? state : undefined;
  const chosen = state.phase === "sending" || state.phase === "revealed" ? state.winner : null;

  return (
    <div
      ref={topRef}
      className="flex flex-col gap-4"
      data-testid="arena"
      data-battle-id={battle?.id}
      aria-busy={state.phase === "loading"}
    >
      {state.phase === "error" && (
        <div
          role="alert"
          data-testid="arena-error"
          className="flex flex-wrap items-center justify-between gap-3 rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
        >
          <span>{state.message}</span>
          <span className="flex gap-2">
            {state.canRetryVote && (
              <button
                type="button"
                onClick={() => void vote(state.canRetryVote as Winner)}
                className="rounded-md border border-amber-400 px-3 py-1.5 font-medium hover:bg-amber-100 focus-visible:outline-2 focus-visible:outline-amber-600 dark:hover:bg-amber-900"
              >
                Retry vote
              </button>
            )}
            <NewBattleButton onClick={newBattle} />
          </span>
        </div>
      )}
      {!battle && state.phase === "loading" && (
        <>
          {state.note && (
            <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="arena-note">
              {state.note}
            </p>
          )}
          <BattleSkeleton />
        </>
      )}
      {battle && (
        <div className={`flex flex-col gap-4 ${state.phase === "loading" ? "opacity-50" : ""}`}>
          <section
            aria-label="Prompt"
            data-testid="prompt"
            className="rounded-xl border border-zinc-200 bg-white px-4 py-3 shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
          >
            <h1 className="mb-1 text-xs font-semibold uppercase tracking-wide text-zinc-500">
              Prompt
            </h1>
            <Markdown>{battle.prompt}</Markdown>
          </section>
          <div className="grid gap-4 md:grid-cols-2">
            {(["a", "b"] as const).map((side) => (
              <ResponseCard
                key={`${battle.id}-${side}`}
                side={side}
                text={battle[side].text}
                revealed={revealed?.reveal[side]}
                outcome={revealed ? outcomeFor(side, revealed.winner) : undefined}
              />
            ))}
          </div>
        </div>
      )}
      {battle && (
        <div
          data-testid="vote-dock"
          className="sticky bottom-0 -mx-3 flex flex-col gap-2 border-t border-zinc-200 bg-zinc-50/95 px-3 py-2 backdrop-blur sm:-mx-4 sm:px-4 sm:py-3 dark:border-zinc-800 dark:bg-zinc-950/95"
        >
          <VoteBar
            disabled={state.phase !== "voting"}
            chosen={chosen}
            onVote={(w) => void vote(w)}
            // On a phone the reveal takes the buttons' place: the names matter now, and the
            // summary says what was picked.
            compactAfterVote={!!revealed}
          />
          {revealed ? (
            <RevealSummary reveal={revealed.reveal} winner={revealed.winner} onNext={newBattle} />
          ) : state.phase === "loading" ? (
            <div className="flex justify-end">
              <NewBattleButton onClick={newBattle} busy />
            </div>
          ) : (
            <p className="hidden text-xs text-zinc-600 sm:block dark:text-zinc-400">
              Vote before you know the models: votes count only while the models are hidden.
            </p>
          )}
        </div>
      )}
      <p className="sr-only" aria-live="polite" data-testid="arena-status">
        {state.phase === "sending" && "Sending your vote…"}
        {revealed &&
          `Model A was ${revealed.reveal.a.displayName}. Model B was ${revealed.reveal.b.displayName}.`}
        {state.phase === "loading" && "Loading a new battle…"}
      </p>
    </div>
  );
}

const OUTCOME_WORDS: Record<Winner, string> = {
  a: "You picked A",
  b: "You picked B",
  tie: "You called it a tie",
  bothbad: "You found both bad",
};

/** Both names at once, where the eye already is (the vote bar), whatever the screen's size. */
function RevealSummary(props: { reveal: Reveal; winner: Winner; onNext: () => void }) {
  return (
    <div className="flex items-center justify-between gap-3" data-testid="reveal-summary">
      <p className="min-w-0 text-sm leading-snug">
        {(["a", "b"] as const).map((side) => (
          <span key={side} className="mr-3 inline-block" data-testid={`reveal-${side}`}>
            <span className="text-zinc-600 dark:text-zinc-400">{side.toUpperCase()}:</span>{" "}
            <strong className="font-semibold">{props.reveal[side].displayName}</strong>
            {props.winner === side && (
              <span className="ml-1 text-emerald-700 dark:text-emerald-400" aria-hidden>
                ✓
              </span>
            )}
          </span>
        ))}
        <span className="block text-xs text-zinc-600 dark:text-zinc-400">
          {OUTCOME_WORDS[props.winner]} · vote recorded, thanks!
        </span>
      </p>
      <NewBattleButton onClick={props.onNext} />
    </div>
  );
}

function NewBattleButton({ onClick, busy }: { onClick: () => void; busy?: boolean }) {
  return (
    <button
      type="button"
      data-testid="new-battle"
      onClick={onClick}
      disabled={busy}
      aria-keyshortcuts="N"
      className="inline-flex shrink-0 items-center gap-2 rounded-lg bg-indigo-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:opacity-60"
    >
      {busy ? "Loading…" : "New battle"}
      <kbd className="rounded border border-white/40 px-1.5 font-mono text-xs pointer-coarse:hidden">
        N
      </kbd>
    </button>
  );
}

function BattleSkeleton() {
  return (
    <div className="flex animate-pulse flex-col gap-4" aria-hidden>
      <div className="h-16 rounded-xl bg-zinc-200 dark:bg-zinc-800" />
      <div className="grid gap-4 md:grid-cols-2">
        <div className="h-64 rounded-xl bg-zinc-200 dark:bg-zinc-800" />
        <div className="h-64 rounded-xl bg-zinc-200 dark:bg-zinc-800" />
      </div>
    </div>
  );
}

function EmptyArena() {
  return (
    <div
      data-testid="arena-empty"
      className="mx-auto max-w-xl rounded-xl border border-dashed border-zinc-300 bg-white px-6 py-10 text-center dark:border-zinc-700 dark:bg-zinc-900"
    >
      <h1 className="text-lg font-semibold">The arena is empty</h1>
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
        No prompts with answers from at least two visible models have been loaded yet. Admins can
        load a prompt/response set on the{" "}
        <a href="/admin/import" className="font-medium text-indigo-600 underline">
          import page
        </a>{" "}
        or with{" "}
        <code className="rounded bg-zinc-100 px-1 dark:bg-zinc-800">
          npm run arena -- import FILE
        </code>
        .
      </p>
    </div>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { admissionSettings, anomalySettings, arenaSettings, leaderboardSettings } from "@/lib/env";

export const metadata: Metadata = {
  title: "About",
  description:
    "How the arena works: blind battles, votes, Bradley–Terry scores and their intervals.",
};

function duration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return minutes === 1 ? "a minute" : `${minutes} minutes`;
  const hours = Math.round(minutes / 60);
  return hours === 1 ? "an hour" : `${hours} hours`;
}

/**
 * How the arena works, for voters and for readers of the leaderboard. The figures that a
 * deployment can change (battle lifetime, provisional threshold, bootstrap rounds, per-address
 * limits, the anomaly check) are read from its settings, so the page never disagrees with it.
 */
export default function AboutPage() {
  const { ttlMs } = arenaSettings();
  const { minVotes, bootstrapRounds } = leaderboardSettings();
  const admission = admissionSettings();
  const anomaly = anomalySettings();
  return (
    <article
      className="prose prose-zinc mx-auto max-w-3xl prose-h1:text-3xl prose-code:before:content-none prose-code:after:content-none dark:prose-invert"
      data-testid="about"
    >
      <h1>How the arena works</h1>
      <p>
        The arena ranks AI models by what people prefer, the way{" "}
        <a href="https://lmarena.ai" rel="noopener noreferrer">
          LMArena (Chatbot Arena)
        </a>{" "}
        does: you see one prompt and two answers from two anonymous models, you say which is better,
        and only then learn who wrote them. Thousands of such votes, each between two models, add up
        to one scale.
      </p>

      <h2>A blind battle</h2>
      <p>
        A battle draws a prompt and two models that both answered it, favouring pairs that have met
        least often; which model appears as “Model A” and which as “Model B” is random. The page
        never receives the models’ names before your vote. A battle takes exactly one vote, within{" "}
        {duration(ttlMs)} of being drawn. Reloading the page before you vote brings the same battle
        back, until you vote or it expires; after your vote, <em>New battle</em> draws the next one.
      </p>

      <h2>What a vote means</h2>
      <ul>
        <li>
          <strong>A is better</strong> / <strong>B is better</strong>: a win for that model over the
          other, on this prompt.
        </li>
        <li>
          <strong>Tie</strong>: the two answers are as good as each other.
        </li>
        <li>
          <strong>Both are bad</strong>: neither answer is good enough.
        </li>
      </ul>
      <p>
        A tie and a both-bad vote each count as half a win for each side: they say the two models
        are level on this prompt, not how good they are in absolute terms.
      </p>

      <h2>Scores</h2>
      <p>
        The leaderboard fits a <strong>Bradley–Terry</strong> model to all counted votes at once (so
        their order does not matter, unlike an Elo rating updated vote by vote). Each model gets a
        score R, and the chance that model A beats model B depends only on the difference: P(A beats
        B) = 1 / (1 + 10
        <sup>
          (R<sub>B</sub> − R<sub>A</sub>) / 400
        </sup>
        ).
      </p>
      <p>
        The scale is FastChat’s (Chatbot Arena’s): a 400-point gap means odds of 10 to 1, a
        100-point gap a 64% chance of winning, and scores are centred on 1000. Only differences
        between models mean something; a score is not comparable with another leaderboard’s. The fit
        is FastChat’s published method, and reproduces its scores on the 2023 Chatbot Arena votes to
        within 0.011 points.
      </p>

      <h2>Intervals and Rank (UB)</h2>
      <p>
        Each score comes with a 95% interval. By default it is a <strong>bootstrap</strong>: the
        votes are resampled {bootstrapRounds.toLocaleString("en-US")} times, each sample is
        refitted, and the interval runs from the 2.5th to the 97.5th percentile of the scores. The
        leaderboard can also show <strong>sandwich</strong> (robust) intervals, computed from the
        fit itself without resampling.
      </p>
      <p>
        <strong>Rank (UB)</strong> is 1 + the number of models whose lower bound is above this
        model’s upper bound: a model ranks below another only when their intervals separate them, so
        models whose intervals overlap share a rank.
      </p>
      <p>
        A model with fewer than {minVotes.toLocaleString("en-US")} votes is marked{" "}
        <strong>provisional</strong>: its interval is wide and its place can still move a lot.
      </p>

      <h2>Categories</h2>
      <p>
        Besides <em>overall</em>, every prompt counts in the categories it belongs to: <em>math</em>{" "}
        and <em>coding</em>, found by rules that read the prompt (not the answers); its language (
        <em>english</em>, <em>chinese</em>, …); and any tag the admins gave it. A category’s
        leaderboard is the same fit on that category’s votes alone, and Δ shows how a model’s rank
        there differs from its overall rank.
      </p>

      <h2>What is not counted, and why</h2>
      <ul>
        <li>
          <strong>Identity leaks</strong>: when the prompt or an answer names a model (its name, its
          maker, or words such as “ChatGPT” or “OpenAI”), the vote was not blind. It is kept but not
          counted.
        </li>
        <li>
          <strong>Anomalous voters and addresses</strong>: a statistical check looks at each voter,
          and each network address, as votes come in: votes that always go to one side or one model,
          or that are cast only when a given model appears (battles are blind, so an honest voter’s
          choice to vote cannot depend on who answered). The check is tuned so that an honest voter
          is flagged with a chance below {Math.round(anomaly.alpha * 100)}%.{" "}
          {anomaly.autoExclude
            ? "Votes of a flagged voter or address are kept but stop counting; the admins see why and can count them again."
            : "Flagged voters and addresses are listed for the admins, who decide whether their votes count."}
        </li>
        {admission.limited && (
          <li>
            <strong>Limits per address</strong>: one network address may create{" "}
            {admission.newVotersPerHour} new voters an hour and {admission.newVotersPerDay} a day,
            and leave at most {admission.skipsPerHour} battles of the last hour without a vote
            (skipping until a favourite shows up is one way to push a model). Requests beyond them
            are refused; no vote is thrown away.
          </li>
        )}
        <li>
          <strong>Exclusions by the admins</strong>: admins can stop counting any voter or address
          by hand, and imported votes whose voters had seen the models’ names are kept but not
          counted.
        </li>
      </ul>
      <p>
        Excluded votes stay in the data, marked, so the leaderboard can always be recomputed from
        the battles themselves.
      </p>

      <h2>Using and citing the data</h2>
      <p>
        Every leaderboard has a CSV download, and the same figures come as JSON from{" "}
        <code>/api/leaderboard?category=overall&amp;format=json</code> (or <code>format=csv</code>),
        with the number of votes and the time of the fit. The admins can export every vote in
        FastChat’s <code>clean_battle</code> format. When you cite a result, give this arena’s
        address, the category, the date and the number of votes shown, and for the method: W.-L.
        Chiang et al., “Chatbot Arena: An Open Platform for Evaluating LLMs by Human Preference”,
        2024.
      </p>
      <p>
        Voting is anonymous: a voter is a random id in a cookie, and network addresses are kept only
        as keyed digests, never as addresses.
      </p>
      <p>
        <Link href="/">Vote</Link> · <Link href="/leaderboard">Leaderboard</Link>
      </p>
    </article>
  );
}

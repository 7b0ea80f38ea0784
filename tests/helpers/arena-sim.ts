/**
 * Voters for simulations of the arena, independent of how they reach it (domain functions in a
 * unit test, HTTP in bench/manipulation.ts): honest people who judge the answers, and the
 * fingerprinting promoter an adversarial review used to move a model 80 points.
 */
import type { Winner } from "@/db/schema";

export interface SimBattle {
  id: string;
  a: { text: string };
  b: { text: string };
}

export interface SimReveal {
  a: { model: string };
  b: { model: string };
}

/** One client: a cookie jar (voter) and an address. */
export interface SimClient {
  /** A new battle, or null when the arena refused one (a limit). */
  draw(): Promise<SimBattle | null>;
  vote(battleId: string, winner: Winner): Promise<SimReveal | null>;
  /** Drops the cookie: the next draw makes a new voter. */
  forget(): void;
}

/** Bradley–Terry with ties: how a person who can judge the answers votes. */
export function honestVote(
  ratingA: number,
  ratingB: number,
  rng: () => number,
  opts: { tie?: number; bothBad?: number } = {},
): Winner {
  const tie = opts.tie ?? 0.2;
  const bothBad = opts.bothBad ?? 0.05;
  const u = rng();
  if (u < tie) return "tie";
  if (u < tie + bothBad) return "bothbad";
  const pA = 1 / (1 + 10 ** ((ratingB - ratingA) / 400));
  return rng() < pA ? "a" : "b";
}

/**
 * An honest voter: votes on `votes` battles (skipping a few at random, as people leave), judging
 * each answer by the quality of the model that wrote it (`quality(text)`, the simulation's
 * stand-in for reading it), with a taste of their own.
 */
export async function runHonestVoter(
  client: SimClient,
  votes: number,
  quality: (text: string) => number,
  rng: () => number,
  opts: { skip?: number; taste?: number } = {},
): Promise<number> {
  const taste = new Map<number, number>();
  const judged = (text: string) => {
    const q = quality(text);
    if (!taste.has(q)) taste.set(q, (rng() - 0.5) * 2 * (opts.taste ?? 40));
    return q + (taste.get(q) as number);
  };
  let cast = 0;
  for (let tries = 0; cast < votes && tries < votes * 3; tries++) {
    const battle = await client.draw();
    if (!battle) break;
    if (rng() < (opts.skip ?? 0.05)) continue;
    const winner = honestVote(judged(battle.a.text), judged(battle.b.text), rng);
    if (await client.vote(battle.id, winner)) cast++;
  }
  return cast;
}

export interface PromoterReport {
  battles: number;
  votes: number;
  forTarget: number;
  ties: number;
  skipped: number;
  voters: number;
  refused: number;
}

/**
 * The promoter: learns text → model by voting "tie" on battles whose texts it does not know yet
 * (each reveal teaches two texts), then votes for `target` whenever one of its texts appears and
 * skips every other battle it already knows, dropping its cookie every `rotateEvery` battles so
 * that no voter id gathers enough votes to be judged.
 */
export async function runPromoter(
  client: SimClient,
  target: string,
  battles: number,
  opts: { rotateEvery?: number } = {},
): Promise<PromoterReport> {
  const known = new Map<string, string>();
  const r: PromoterReport = {
    battles: 0,
    votes: 0,
    forTarget: 0,
    ties: 0,
    skipped: 0,
    voters: 1,
    refused: 0,
  };
  let withCookie = 0;
  for (let i = 0; i < battles; i++) {
    if (withCookie >= (opts.rotateEvery ?? 9)) {
      client.forget();
      r.voters++;
      withCookie = 0;
    }
    const battle = await client.draw();
    if (!battle) {
      r.refused++;
      continue;
    }
    r.battles++;
    withCookie++;
    const ma = known.get(battle.a.text);
    const mb = known.get(battle.b.text);
    let winner: Winner | null;
    if (ma === target) winner = "a";
    else if (mb === target) winner = "b";
    else if (ma !== undefined && mb !== undefined) winner = null;
    else winner = "tie";
    if (winner === null) {
      r.skipped++;
      continue;
    }
    const reveal = await client.vote(battle.id, winner);
    if (!reveal) continue;
    r.votes++;
    if (winner === "tie") r.ties++;
    else r.forTarget++;
    known.set(battle.a.text, reveal.a.model);
    known.set(battle.b.text, reveal.b.model);
  }
  return r;
}

import { describe, expect, it } from "vitest";
import { honestVote } from "@/tests/helpers/arena-sim";
import { seededRng } from "@/tests/helpers/rng";
import type { Quad } from "./anomaly-stats";
import { checkpointShare, judgeSubject, type SubjectBattle } from "./subject-anomaly";

const RATINGS = [1250, 1180, 1120, 1080, 1040, 1000, 960, 900];
const OUT = { a: 0, b: 1, tie: 2, bothbad: 3 } as const;

/** One honest person: their own taste, tie habit and side lean, skipping a few battles at random. */
function person(rng: () => number) {
  const taste = RATINGS.map((r) => r + (rng() - 0.5) * 80);
  const tie = 0.1 + rng() * 0.2;
  const lean = (rng() - 0.5) * 0.1;
  return (): SubjectBattle => {
    const a = Math.floor(rng() * RATINGS.length);
    let b = Math.floor(rng() * (RATINGS.length - 1));
    if (b >= a) b++;
    if (rng() < 0.05) return { a, b, outcome: null };
    const w = honestVote((taste[a] as number) + lean * 400, taste[b] as number, rng, { tie });
    return { a, b, outcome: OUT[w] };
  };
}

function crowd(rng: () => number, votes: number) {
  const pairs = new Map<number, Quad>();
  const global: Quad = [0, 0, 0, 0];
  let p = person(rng);
  for (let i = 0; i < votes; i++) {
    if (i % 40 === 0) p = person(rng);
    const v = p();
    if (v.outcome === null) continue;
    const k = v.a * 64 + v.b;
    const q = pairs.get(k) ?? [0, 0, 0, 0];
    q[v.outcome]++;
    pairs.set(k, q);
    global[v.outcome]++;
  }
  return { pair: (a: number, b: number) => pairs.get(a * 64 + b), global };
}

/** `people` honest voters behind one address, their battles interleaved as they happen. */
function natGroup(rng: () => number, people: number): SubjectBattle[] {
  const queues = Array.from({ length: people }, () => {
    const next = person(rng);
    return Array.from({ length: 20 + Math.floor(rng() * 41) }, next);
  });
  const out: SubjectBattle[] = [];
  while (queues.some((q) => q.length)) {
    const open = queues.filter((q) => q.length);
    out.push((open[Math.floor(rng() * open.length)] as SubjectBattle[]).shift() as SubjectBattle);
  }
  return out;
}

describe("judgeSubject", () => {
  it("spends the level over checkpoints that sum to one", () => {
    let sum = 0;
    for (let k = 0; k < 100_000; k++) sum += checkpointShare(k);
    expect(sum).toBeGreaterThan(0.9999);
    expect(sum).toBeLessThanOrEqual(1);
  });

  it("flags honest people sharing one address at most at the level α", () => {
    const rng = seededRng(11);
    const background = crowd(rng, 20_000);
    let flagged = 0;
    const groups = 150;
    for (let g = 0; g < groups; g++) {
      if (judgeSubject(natGroup(rng, 20), background, 0.02).flagged) flagged++;
    }
    // 20 people × 20–60 battles each, 150 groups: measured 0 of 150 (seed 11); the bound is 2%.
    expect(flagged / groups).toBeLessThanOrEqual(0.02);
  });

  it("flags a voter who votes only when their model shows", () => {
    const rng = seededRng(5);
    const background = crowd(rng, 20_000);
    const honest = person(rng);
    const battles: SubjectBattle[] = Array.from({ length: 120 }, () => {
      const v = honest();
      if (v.a !== 3 && v.b !== 3) return { ...v, outcome: null };
      return { ...v, outcome: v.a === 3 ? 0 : 1 };
    });
    const verdict = judgeSubject(battles, background, 0.02);
    expect(verdict.flagged).toBe(true);
    expect(verdict.model).toBe(3);
  });

  it("judges a record by its checkpoints only, so a later look cannot undo an earlier one", () => {
    const rng = seededRng(9);
    const background = crowd(rng, 5_000);
    const battles = natGroup(rng, 3);
    const n = battles.filter((b) => b.outcome !== null).length;
    const cut = battles.findIndex(
      (_, i) => battles.slice(0, i + 1).filter((b) => b.outcome !== null).length === 40,
    );
    if (n > 40 && cut > 0) {
      // Votes after the 40th and before the 80th change nothing at the vote checkpoints.
      const early = judgeSubject(battles.slice(0, cut + 1), background, 0.02);
      expect(early.votes).toBe(40);
    }
  });
});

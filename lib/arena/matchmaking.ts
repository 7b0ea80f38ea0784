import { and, eq, gte, inArray, max, min, notExists, sql } from "drizzle-orm";
import type { ArenaDb } from "@/db/client";
import { models, prompts, responses, tallies, voterSeen } from "@/db/schema";
import { OVERALL } from "./categories";

export type Rng = () => number;

export interface Matchup {
  promptId: number;
  modelAId: number;
  modelBId: number;
}

const PROBES = 6;
const PROBE_WINDOW = 24;

/**
 * Picks a prompt this voter has not seen in the current cycle and two different visible models
 * that both answered it, favouring the pairs with the fewest votes; the sides are random.
 * Returns null only when no prompt has two visible models. The cost does not grow with the
 * number of prompts: random probes into the id space find an unseen prompt in a few indexed
 * reads, and a full scan is the fallback only near the end of a voter's cycle.
 */
export function pickMatchup(db: ArenaDb, voterId: string, rng: Rng = Math.random): Matchup | null {
  const found = probeForPrompt(db, voterId, rng) ?? scanForPrompt(db, voterId);
  if (found) return choosePair(db, found.promptId, found.modelIds, rng);
  // Seen everything: start a new cycle, unless there was nothing to see in the first place.
  const cleared = db.delete(voterSeen).where(eq(voterSeen.voterId, voterId)).run().changes;
  if (cleared === 0) return null;
  const again = probeForPrompt(db, voterId, rng) ?? scanForPrompt(db, voterId);
  return again ? choosePair(db, again.promptId, again.modelIds, rng) : null;
}

interface Candidate {
  promptId: number;
  modelIds: number[];
}

/** Visible models (not hidden, not deprecated) answering each of the given prompts. */
function eligibleModels(db: ArenaDb, promptIds: number[]): Map<number, number[]> {
  const out = new Map<number, number[]>();
  if (promptIds.length === 0) return out;
  const rows = db
    .select({ promptId: responses.promptId, modelId: responses.modelId })
    .from(responses)
    .innerJoin(models, eq(models.id, responses.modelId))
    .where(
      and(
        inArray(responses.promptId, promptIds),
        eq(models.hidden, false),
        eq(models.deprecated, false),
      ),
    )
    .all();
  for (const r of rows) {
    const list = out.get(r.promptId);
    if (list) list.push(r.modelId);
    else out.set(r.promptId, [r.modelId]);
  }
  return out;
}

function probeForPrompt(db: ArenaDb, voterId: string, rng: Rng): Candidate | null {
  const range = db
    .select({ lo: min(prompts.id), hi: max(prompts.id) })
    .from(prompts)
    .get();
  if (!range?.lo || !range.hi) return null;
  const { lo, hi } = range;
  for (let probe = 0; probe < PROBES; probe++) {
    const start = lo + Math.floor(rng() * (hi - lo + 1));
    const ids = db
      .select({ id: prompts.id })
      .from(prompts)
      .where(and(gte(prompts.id, start), eq(prompts.disabled, false)))
      .orderBy(prompts.id)
      .limit(PROBE_WINDOW)
      .all()
      .map((r) => r.id);
    if (ids.length === 0) continue;
    const seen = new Set(
      db
        .select({ id: voterSeen.promptId })
        .from(voterSeen)
        .where(and(eq(voterSeen.voterId, voterId), inArray(voterSeen.promptId, ids)))
        .all()
        .map((r) => r.id),
    );
    const unseen = ids.filter((id) => !seen.has(id));
    if (unseen.length === 0) continue;
    const eligible = eligibleModels(db, unseen);
    const candidates = unseen.filter((id) => (eligible.get(id)?.length ?? 0) >= 2);
    if (candidates.length === 0) continue;
    const promptId = candidates[Math.floor(rng() * candidates.length)] as number;
    return { promptId, modelIds: eligible.get(promptId) ?? [] };
  }
  return null;
}

/** The exhaustive search: any enabled, unseen prompt with at least two visible models. */
function scanForPrompt(db: ArenaDb, voterId: string): Candidate | null {
  const visibleAnswers = db
    .select({ n: sql<number>`count(*)` })
    .from(responses)
    .innerJoin(models, eq(models.id, responses.modelId))
    .where(
      and(
        eq(responses.promptId, prompts.id),
        eq(models.hidden, false),
        eq(models.deprecated, false),
      ),
    );
  const row = db
    .select({ id: prompts.id })
    .from(prompts)
    .where(
      and(
        eq(prompts.disabled, false),
        notExists(
          db
            .select({ one: sql`1` })
            .from(voterSeen)
            .where(and(eq(voterSeen.voterId, voterId), eq(voterSeen.promptId, prompts.id))),
        ),
        sql`(${visibleAnswers}) >= 2`,
      ),
    )
    .orderBy(sql`random()`)
    .limit(1)
    .get();
  if (!row) return null;
  return { promptId: row.id, modelIds: eligibleModels(db, [row.id]).get(row.id) ?? [] };
}

/**
 * Among the prompt's model pairs, draws one with probability proportional to 1/(1+d)², where d
 * is how many more votes the pair has than the prompt's least-voted pair. Weighting by the
 * deficit rather than the raw count keeps the pull towards even coverage as strong at 10,000
 * votes as at 10, while every pair stays possible, so no one can predict the next battle.
 */
function choosePair(db: ArenaDb, promptId: number, modelIds: number[], rng: Rng): Matchup {
  const counts = new Map<string, number>();
  const key = (x: number, y: number) => (x < y ? `${x}:${y}` : `${y}:${x}`);
  for (const t of db
    .select({
      a: tallies.modelAId,
      b: tallies.modelBId,
      n: sql<number>`${tallies.winsA} + ${tallies.winsB} + ${tallies.ties} + ${tallies.bothBad}`,
    })
    .from(tallies)
    .where(
      and(
        eq(tallies.category, OVERALL),
        inArray(tallies.modelAId, modelIds),
        inArray(tallies.modelBId, modelIds),
      ),
    )
    .all()) {
    const k = key(t.a, t.b);
    counts.set(k, (counts.get(k) ?? 0) + t.n);
  }
  const pairs: [number, number, number][] = [];
  for (let i = 0; i < modelIds.length; i++) {
    for (let j = i + 1; j < modelIds.length; j++) {
      const x = modelIds[i] as number;
      const y = modelIds[j] as number;
      pairs.push([x, y, counts.get(key(x, y)) ?? 0]);
    }
  }
  const fewest = Math.min(...pairs.map((p) => p[2]));
  let total = 0;
  for (const p of pairs) {
    p[2] = 1 / (1 + p[2] - fewest) ** 2;
    total += p[2];
  }
  let r = rng() * total;
  let chosen = pairs[pairs.length - 1] as [number, number, number];
  for (const p of pairs) {
    r -= p[2];
    if (r <= 0) {
      chosen = p;
      break;
    }
  }
  const [x, y] = chosen;
  return rng() < 0.5
    ? { promptId, modelAId: x, modelBId: y }
    : { promptId, modelAId: y, modelBId: x };
}

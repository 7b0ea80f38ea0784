import { randomBytes } from "node:crypto";
import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import type { ArenaDb } from "@/db/client";
import {
  battles,
  models,
  promptCategories,
  prompts,
  responses,
  voterSeen,
  type Winner,
} from "@/db/schema";
import { ArenaError } from "@/lib/errors";
import {
  type AdmissionLimits,
  checkNewVoterAllowed,
  checkSkipsAllowed,
  recordVoter,
} from "./admission";
import { isExcludedSubject } from "./exclusions";
import { IdentityLeakDetector, type LeakCheck } from "./identity-leak";
import { drawPair, type Rng } from "./matchmaking";
import { notePairVote } from "./pair-counts";
import { prepared } from "./prepared";
import { bumpTallies, talliesVersion } from "./tallies";

/** What a voter may see before voting: text only, never a model's identity. */
export interface BattleView {
  id: string;
  prompt: string;
  turns?: string[];
  a: { text: string };
  b: { text: string };
}

export interface RevealedModel {
  model: string;
  displayName: string;
  organization: string;
}

export interface Reveal {
  a: RevealedModel;
  b: RevealedModel;
}

export function newBattleId(): string {
  return randomBytes(16).toString("base64url");
}

const p = sql.placeholder;

function statements(db: ArenaDb) {
  return prepared(db, "battles", () => ({
    insertBattle: db
      .insert(battles)
      .values({
        id: p("id"),
        promptId: p("promptId"),
        modelAId: p("modelAId"),
        modelBId: p("modelBId"),
        voterId: p("voterId"),
        address: p("address"),
        createdAt: p("createdAt"),
        identityLeak: sql`${p("identityLeak")}`,
        leakReason: p("leakReason"),
      })
      .prepare(),
    modelNames: db
      .select({
        slug: models.slug,
        displayName: models.displayName,
        organization: models.organization,
      })
      .from(models)
      .prepare(),
    markSeen: db
      .insert(voterSeen)
      .values({ voterId: p("voterId"), promptId: p("promptId") })
      .onConflictDoNothing()
      .prepare(),
    prompt: db
      .select({ text: prompts.text, turns: prompts.turns })
      .from(prompts)
      .where(eq(prompts.id, p("id")))
      .prepare(),
    responseText: db
      .select({ text: responses.text })
      .from(responses)
      .where(and(eq(responses.promptId, p("promptId")), eq(responses.modelId, p("modelId"))))
      .prepare(),
    openBattles: db
      .select({
        id: battles.id,
        promptId: battles.promptId,
        modelAId: battles.modelAId,
        modelBId: battles.modelBId,
      })
      .from(battles)
      .where(
        and(
          eq(battles.voterId, p("voterId")),
          isNull(battles.winner),
          gt(battles.createdAt, p("since")),
        ),
      )
      .orderBy(desc(battles.createdAt))
      .limit(p("cap"))
      .prepare(),
    battle: db
      .select()
      .from(battles)
      .where(eq(battles.id, p("id")))
      .prepare(),
    recordVote: db
      .update(battles)
      .set({
        winner: sql`${p("winner")}`,
        votedAt: sql`${p("votedAt")}`,
        excluded: sql`${p("excluded")}`,
      })
      .where(and(eq(battles.id, p("id")), isNull(battles.winner)))
      .prepare(),
    categories: db
      .select({ category: promptCategories.category })
      .from(promptCategories)
      .where(eq(promptCategories.promptId, p("promptId")))
      .prepare(),
    model: db
      .select({
        model: models.slug,
        displayName: models.displayName,
        organization: models.organization,
      })
      .from(models)
      .where(eq(models.id, p("id")))
      .prepare(),
  }));
}

/** The prompt and both texts of a battle, as the voter sees them. */
function battleView(
  s: ReturnType<typeof statements>,
  b: { id: string; promptId: number; modelAId: number; modelBId: number },
): BattleView {
  const prompt = s.prompt.get({ id: b.promptId });
  const text = (modelId: number) =>
    s.responseText.get({ promptId: b.promptId, modelId })?.text ?? "";
  return {
    id: b.id,
    prompt: prompt?.text ?? "",
    ...(prompt?.turns ? { turns: prompt.turns } : {}),
    a: { text: text(b.modelAId) },
    b: { text: text(b.modelBId) },
  };
}

interface LeakCache {
  signature: string;
  detector: IdentityLeakDetector;
  /** Verdicts per (prompt, model A, model B): their texts never change, so neither does the verdict. */
  verdicts: Map<string, LeakCheck>;
}

const leakCaches = new WeakMap<object, LeakCache>();
const MAX_CACHED_VERDICTS = 100_000;

/**
 * Whether this matchup names a model, with the detector for the current model names and word
 * list (rebuilt, and its verdicts dropped, only when a name or a word changed).
 */
function leakCheck(
  db: ArenaDb,
  extraWords: string[],
  m: { promptId: number; modelAId: number; modelBId: number },
  view: BattleView,
): LeakCheck {
  const names = statements(db).modelNames.all();
  const signature = JSON.stringify([names, extraWords]);
  let cache = leakCaches.get(db.$client);
  if (cache?.signature !== signature) {
    cache = {
      signature,
      detector: new IdentityLeakDetector(names, extraWords),
      verdicts: new Map(),
    };
    leakCaches.set(db.$client, cache);
  }
  const key = `${m.promptId}:${m.modelAId}:${m.modelBId}`;
  let verdict = cache.verdicts.get(key);
  if (!verdict) {
    verdict = cache.detector.check({
      prompt: (view.turns ?? [view.prompt]).join("\n"),
      a: view.a.text,
      b: view.b.text,
    });
    if (cache.verdicts.size >= MAX_CACHED_VERDICTS) cache.verdicts.clear();
    cache.verdicts.set(key, verdict);
  }
  return verdict;
}

/** The voter's latest battle still waiting for its vote, if any: read only, so a page can show it. */
export function openBattleFor(
  db: ArenaDb,
  voterId: string,
  ttlMs: number,
  now = new Date(),
): BattleView | null {
  const s = statements(db);
  const [open] = s.openBattles.all({ voterId, since: now.getTime() - ttlMs, cap: 1 });
  return open ? battleView(s, open) : null;
}

/**
 * Draws a matchup for the voter and records it as an open battle, flagged when the prompt or
 * a response names a model (its vote will be kept but not counted). A new voter is recorded
 * with its first battle, against its address's allowance of new voters; a new draw also costs
 * the address one of its unvoted battles until it is voted.
 */
export function createBattle(
  db: ArenaDb,
  voterId: string,
  opts: {
    rng?: Rng;
    now?: Date;
    identityWords?: string[];
    /** With a cap, a voter holding this many open battles gets their latest one back instead of a new draw. */
    openBattleCap?: { max: number; ttlMs: number };
    /** The client's address key (lib/http/address.ts); null for scripts and tests that have none. */
    address?: string | null;
    /** True when this request carried no voter: the voter is recorded here, under `address`. */
    newVoter?: boolean;
    /** Limits on new voters and unvoted battles per address; none when rate limits are off. */
    admission?: AdmissionLimits;
  } = {},
): BattleView {
  const s = statements(db);
  const address = opts.address ?? null;
  return db.transaction(() => {
    const nowMs = (opts.now ?? new Date()).getTime();
    if (opts.newVoter) {
      if (address && opts.admission) checkNewVoterAllowed(db, address, opts.admission, nowMs);
      recordVoter(db, voterId, address, nowMs);
    }
    if (opts.openBattleCap) {
      const now = (opts.now ?? new Date()).getTime();
      const open = s.openBattles.all({
        voterId,
        since: now - opts.openBattleCap.ttlMs,
        cap: opts.openBattleCap.max,
      });
      const latest = open[0];
      if (latest && open.length >= opts.openBattleCap.max) return battleView(s, latest);
    }
    if (address && opts.admission) checkSkipsAllowed(db, address, opts.admission, nowMs);
    const m = drawPair(db, voterId, opts.rng);
    if (!m) {
      throw new ArenaError(
        "arena_empty",
        "The arena has no prompts with two visible models yet. An admin can load a prompt set at /admin/import.",
      );
    }
    const id = newBattleId();
    const createdAt = opts.now ?? new Date();
    const view = battleView(s, { id, ...m });
    const leak = leakCheck(db, opts.identityWords ?? [], m, view);
    s.insertBattle.run({
      id,
      ...m,
      voterId,
      address,
      createdAt,
      identityLeak: leak.leak ? 1 : 0,
      leakReason: leak.reason,
    });
    s.markSeen.run({ voterId, promptId: m.promptId });
    return view;
  });
}

/**
 * Records the one vote a battle takes and bumps the tallies, in one transaction, and only then
 * reveals the models. The conditional update is what makes concurrent second votes lose.
 */
export function castVote(
  db: ArenaDb,
  input: { battleId: string; voterId: string; winner: Winner; ttlMs: number; now?: Date },
): Reveal {
  const now = input.now ?? new Date();
  const s = statements(db);
  return db.transaction(() => {
    const battle = s.battle.get({ id: input.battleId });
    // Another voter's battle is indistinguishable from a missing one: ids are not an oracle.
    if (!battle || battle.voterId !== input.voterId) {
      throw new ArenaError("battle_not_found", "No such battle for this voter.");
    }
    if (battle.winner !== null) {
      throw new ArenaError("already_voted", "This battle already has its vote.");
    }
    if (now.getTime() - battle.createdAt.getTime() > input.ttlMs) {
      throw new ArenaError("battle_expired", "This battle has expired. Start a new battle.");
    }
    // A flagged or excluded voter or address is not told: the vote is kept, marked, not counted.
    const excluded = battle.excluded || isExcludedSubject(db, input.voterId, battle.address);
    const updated = s.recordVote.run({
      id: battle.id,
      winner: input.winner,
      votedAt: now.getTime(),
      excluded: excluded ? 1 : 0,
    });
    if (updated.changes !== 1) {
      throw new ArenaError("already_voted", "This battle already has its vote.");
    }
    if (!excluded && !battle.identityLeak) {
      const categories = s.categories.all({ promptId: battle.promptId }).map((r) => r.category);
      const before = talliesVersion(db);
      bumpTallies(db, categories, battle.modelAId, battle.modelBId, input.winner);
      notePairVote(db, battle.modelAId, battle.modelBId, before, talliesVersion(db));
    }
    const a = s.model.get({ id: battle.modelAId });
    const b = s.model.get({ id: battle.modelBId });
    if (!a || !b) throw new Error(`battle ${battle.id} names a model that no longer exists`);
    return { a, b };
  });
}

import { randomBytes } from "node:crypto";
import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import type { ArenaDb } from "@/db/client";
import { changes } from "@/db/rows";
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
import { type LeakCheck, leakVerdict } from "./identity-leak";
import {
  currentWordList,
  deploymentWords,
  noteStaleVerdict,
  promptLeakText,
  type StoredRow,
  storedLeakWords,
} from "./leak-verdicts";
import { drawPair, type Rng } from "./matchmaking";
import { notePairVote } from "./pair-counts";
import { prepared } from "./prepared";
import { lockPromptCategories } from "./prompt-lock";
import { chargeRequest, type LimitedRequest, settle } from "./rate-limit";
import { bumpTallies } from "./tallies";

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
    markSeen: db
      .insert(voterSeen)
      .values({ voterId: p("voterId"), promptId: p("promptId") })
      .onConflictDoNothing()
      .prepare(),
    prompt: db
      .select({
        id: prompts.id,
        text: prompts.text,
        turns: prompts.turns,
        leakWords: prompts.leakWords,
        leakList: prompts.leakList,
      })
      .from(prompts)
      .where(eq(prompts.id, p("id")))
      .prepare(),
    response: db
      .select({
        id: responses.id,
        text: responses.text,
        leakWords: responses.leakWords,
        leakList: responses.leakList,
      })
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

type Statements = ReturnType<typeof statements>;
type Stored = StoredRow & { turns?: string[] | null };
type BattleRows = Awaited<ReturnType<typeof battleRows>>;

/** The prompt and both responses of a battle as stored, verdicts included. */
async function battleRows(
  s: Statements,
  b: { promptId: number; modelAId: number; modelBId: number },
) {
  const response = async (modelId: number): Promise<Stored | undefined> =>
    (await s.response.execute({ promptId: b.promptId, modelId }))[0];
  return {
    prompt: (await s.prompt.execute({ id: b.promptId }))[0],
    a: await response(b.modelAId),
    b: await response(b.modelBId),
  };
}

/** The prompt and both texts of a battle, as the voter sees them. */
function battleView(id: string, rows: BattleRows): BattleView {
  const { prompt } = rows;
  return {
    id,
    prompt: prompt?.text ?? "",
    ...(prompt?.turns ? { turns: prompt.turns } : {}),
    a: { text: rows.a?.text ?? "" },
    b: { text: rows.b?.text ?? "" },
  };
}

/**
 * Whether this matchup names a model, from the verdicts stored with its prompt and responses
 * (decided when they were written). One decided against an older word list (a model added or
 * renamed since) is decided again now, stored, and the server's background pass is told.
 */
async function leakCheck(db: ArenaDb, extraWords: string[], rows: BattleRows): Promise<LeakCheck> {
  const list = await currentWordList(db, extraWords);
  const words = async (table: "prompts" | "responses", row: Stored | undefined) => {
    if (!row) return [];
    if (row.leakList !== list.digest) noteStaleVerdict(db);
    return storedLeakWords(db, list, table, row);
  };
  const prompt = rows.prompt && {
    ...rows.prompt,
    text: promptLeakText({ text: rows.prompt.text, turns: rows.prompt.turns ?? null }),
  };
  return leakVerdict({
    prompt: await words("prompts", prompt),
    a: await words("responses", rows.a),
    b: await words("responses", rows.b),
  });
}

/** The voter's latest battle still waiting for its vote, if any: read only, so a page can show it. */
export async function openBattleFor(
  db: ArenaDb,
  voterId: string,
  ttlMs: number,
  now = new Date(),
): Promise<BattleView | null> {
  const s = statements(db);
  const [open] = await s.openBattles.execute({ voterId, since: now.getTime() - ttlMs, cap: 1 });
  return open ? battleView(open.id, await battleRows(s, open)) : null;
}

/**
 * Draws a matchup for the voter and records it as an open battle, flagged when the prompt or
 * a response names a model (its vote will be kept but not counted). A new voter is recorded
 * with its first battle, against its address's allowance of new voters; a new draw also costs
 * the address one of its unvoted battles until it is voted.
 */
export async function createBattle(
  db: ArenaDb,
  voterId: string,
  opts: {
    rng?: Rng;
    now?: Date;
    /** Extra identity words (lib/arena/identity-leak.ts); the deployment's IDENTITY_WORDS when unset. */
    identityWords?: string[];
    /** With a cap, a voter holding this many open battles gets their latest one back instead of a new draw. */
    openBattleCap?: { max: number; ttlMs: number };
    /** The client's address key (lib/http/address.ts); null for scripts and tests that have none. */
    address?: string | null;
    /** True when this request carried no voter: the voter is recorded here, under `address`. */
    newVoter?: boolean;
    /** Limits on new voters and unvoted battles per address; none when rate limits are off. */
    admission?: AdmissionLimits;
    /** Counted against its rate limits first, in this transaction; none when limits are off. */
    rateLimit?: LimitedRequest;
  } = {},
): Promise<BattleView> {
  const address = opts.address ?? null;
  const nowMs = (opts.now ?? new Date()).getTime();
  return settle(db, opts.rateLimit, nowMs, () =>
    db.transaction(async (tx) => {
      const s = statements(tx);
      if (opts.rateLimit) await chargeRequest(tx, opts.rateLimit, nowMs);
      if (opts.newVoter) {
        if (address && opts.admission)
          await checkNewVoterAllowed(tx, address, opts.admission, nowMs);
        await recordVoter(tx, voterId, address, nowMs);
      }
      if (opts.openBattleCap) {
        const now = (opts.now ?? new Date()).getTime();
        const open = await s.openBattles.execute({
          voterId,
          since: now - opts.openBattleCap.ttlMs,
          cap: opts.openBattleCap.max,
        });
        const latest = open[0];
        if (latest && open.length >= opts.openBattleCap.max)
          return battleView(latest.id, await battleRows(s, latest));
      }
      if (address && opts.admission) await checkSkipsAllowed(tx, address, opts.admission, nowMs);
      const m = await drawPair(tx, voterId, opts.rng);
      if (!m) {
        throw new ArenaError(
          "arena_empty",
          "The arena has no prompts with two visible models yet. An admin can load a prompt set at /admin/import.",
        );
      }
      const id = newBattleId();
      const createdAt = opts.now ?? new Date();
      const rows = await battleRows(s, m);
      const view = battleView(id, rows);
      const leak = await leakCheck(tx, opts.identityWords ?? deploymentWords(), rows);
      await s.insertBattle.execute({
        id,
        ...m,
        voterId,
        address,
        createdAt,
        identityLeak: leak.leak ? 1 : 0,
        leakReason: leak.reason,
      });
      await s.markSeen.execute({ voterId, promptId: m.promptId });
      return view;
    }),
  );
}

/**
 * Records the one vote a battle takes and bumps the tallies, in one transaction, and only then
 * reveals the models. The conditional update is what makes concurrent second votes lose.
 */
export async function castVote(
  db: ArenaDb,
  input: {
    battleId: string;
    voterId: string;
    winner: Winner;
    ttlMs: number;
    now?: Date;
    /** Counted against its rate limits first, in this transaction; none when limits are off. */
    rateLimit?: LimitedRequest;
  },
): Promise<Reveal> {
  const now = input.now ?? new Date();
  return settle(db, input.rateLimit, now.getTime(), () =>
    db.transaction(async (tx) => {
      const s = statements(tx);
      if (input.rateLimit) await chargeRequest(tx, input.rateLimit, now.getTime());
      const [battle] = await s.battle.execute({ id: input.battleId });
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
      const excluded =
        battle.excluded || (await isExcludedSubject(tx, input.voterId, battle.address));
      const updated = await s.recordVote.execute({
        id: battle.id,
        winner: input.winner,
        votedAt: now.getTime(),
        excluded: excluded ? 1 : 0,
      });
      if (changes(updated) !== 1) {
        throw new ArenaError("already_voted", "This battle already has its vote.");
      }
      const [a] = await s.model.execute({ id: battle.modelAId });
      const [b] = await s.model.execute({ id: battle.modelBId });
      if (!a || !b) throw new Error(`battle ${battle.id} names a model that no longer exists`);
      // Last: the tallies version row is the one lock every vote takes (see addToTallies).
      if (!excluded && !battle.identityLeak) {
        // a reclassification moving this prompt's votes either counts this one or goes first
        await lockPromptCategories(tx, [battle.promptId], "share");
        const categories = (await s.categories.execute({ promptId: battle.promptId })).map(
          (r) => r.category,
        );
        const after = await bumpTallies(
          tx,
          categories,
          battle.modelAId,
          battle.modelBId,
          input.winner,
        );
        notePairVote(tx, battle.modelAId, battle.modelBId, after - 1, after);
      }
      return { a, b };
    }),
  );
}

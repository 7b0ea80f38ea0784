import { randomBytes } from "node:crypto";
import { and, eq, inArray, isNull } from "drizzle-orm";
import type { ArenaDb } from "@/db/client";
import {
  battles,
  models,
  promptCategories,
  prompts,
  responses,
  voterSeen,
  voters,
  type Winner,
} from "@/db/schema";
import { ArenaError } from "@/lib/errors";
import { pickMatchup, type Rng } from "./matchmaking";
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

export interface VoteResult {
  a: RevealedModel;
  b: RevealedModel;
}

export function newBattleId(): string {
  return randomBytes(16).toString("base64url");
}

/** Draws a matchup for the voter and records it as an open battle. */
export function createBattle(
  db: ArenaDb,
  voterId: string,
  opts: { rng?: Rng; now?: Date } = {},
): BattleView {
  return db.transaction((tx) => {
    const t = tx as unknown as ArenaDb;
    const m = pickMatchup(t, voterId, opts.rng);
    if (!m) {
      throw new ArenaError(
        "arena_empty",
        "The arena has no prompts with two visible models yet. An admin can load a prompt set at /admin/import.",
      );
    }
    const id = newBattleId();
    tx.insert(battles)
      .values({
        id,
        promptId: m.promptId,
        modelAId: m.modelAId,
        modelBId: m.modelBId,
        voterId,
        createdAt: opts.now ?? new Date(),
      })
      .run();
    tx.insert(voterSeen).values({ voterId, promptId: m.promptId }).onConflictDoNothing().run();
    const prompt = tx
      .select({ text: prompts.text, turns: prompts.turns })
      .from(prompts)
      .where(eq(prompts.id, m.promptId))
      .get();
    const texts = new Map(
      tx
        .select({ modelId: responses.modelId, text: responses.text })
        .from(responses)
        .where(
          and(
            eq(responses.promptId, m.promptId),
            inArray(responses.modelId, [m.modelAId, m.modelBId]),
          ),
        )
        .all()
        .map((r) => [r.modelId, r.text]),
    );
    return {
      id,
      prompt: prompt?.text ?? "",
      ...(prompt?.turns ? { turns: prompt.turns } : {}),
      a: { text: texts.get(m.modelAId) ?? "" },
      b: { text: texts.get(m.modelBId) ?? "" },
    };
  });
}

/**
 * Records the one vote a battle takes and bumps the tallies, in one transaction, and only then
 * reveals the models. The conditional update is what makes concurrent second votes lose.
 */
export function castVote(
  db: ArenaDb,
  input: { battleId: string; voterId: string; winner: Winner; ttlMs: number; now?: Date },
): VoteResult {
  const now = input.now ?? new Date();
  return db.transaction((tx) => {
    const battle = tx.select().from(battles).where(eq(battles.id, input.battleId)).get();
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
    const excluded =
      tx.select({ at: voters.excludedAt }).from(voters).where(eq(voters.id, input.voterId)).get()
        ?.at != null;
    const updated = tx
      .update(battles)
      .set({ winner: input.winner, votedAt: now, excluded: excluded || battle.excluded })
      .where(and(eq(battles.id, battle.id), isNull(battles.winner)))
      .run();
    if (updated.changes !== 1) {
      throw new ArenaError("already_voted", "This battle already has its vote.");
    }
    if (!excluded && !battle.excluded && !battle.identityLeak) {
      const categories = tx
        .select({ category: promptCategories.category })
        .from(promptCategories)
        .where(eq(promptCategories.promptId, battle.promptId))
        .all()
        .map((r) => r.category);
      bumpTallies(tx, categories, battle.modelAId, battle.modelBId, input.winner);
    }
    const named = new Map(
      tx
        .select({
          id: models.id,
          model: models.slug,
          displayName: models.displayName,
          organization: models.organization,
        })
        .from(models)
        .where(inArray(models.id, [battle.modelAId, battle.modelBId]))
        .all()
        .map(({ id, ...m }) => [id, m]),
    );
    const a = named.get(battle.modelAId);
    const b = named.get(battle.modelBId);
    if (!a || !b) throw new Error(`battle ${battle.id} names a model that no longer exists`);
    return { a, b };
  });
}

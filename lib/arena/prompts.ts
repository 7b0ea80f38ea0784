import { and, count, desc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import type { ArenaDb } from "@/db/client";
import { changes } from "@/db/rows";
import { battles, promptCategories, prompts, type Winner } from "@/db/schema";
import { ArenaError } from "@/lib/errors";
import { categorySlug, explainPrompt, OVERALL, RULE_CATEGORIES } from "./categories";
import { countedBattle } from "./import-visibility";
import { lockPromptCategories } from "./prompt-lock";
import { addToTallies } from "./tallies";

export interface PromptRow {
  id: number;
  text: string;
  language: string;
  source: string;
  disabled: boolean;
  categories: string[];
  /** Why the classifier put it in each of its rule categories it is in (math, coding, …), in words. */
  why: { category: string; reasons: string }[];
  responses: number;
}

export interface PromptQuery {
  q?: string;
  category?: string;
  page?: number;
  pageSize?: number;
}

/**
 * Text containing `q`, with the LIKE wildcards the admin typed (`%`, `_`) and the escape
 * character itself searched for literally. The backslashes mean nothing to SQLite without the
 * ESCAPE clause: `50%` would then look for `50\%` and miss "grew 50%". Both sides lowered:
 * SQLite's LIKE ignores case, PostgreSQL's does not.
 */
function containsText(q: string) {
  const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql`lower(${prompts.text}) like lower(${pattern}) escape '\\'`;
}

export async function listPrompts(
  db: ArenaDb,
  query: PromptQuery,
): Promise<{ rows: PromptRow[]; total: number }> {
  const pageSize = Math.min(Math.max(query.pageSize ?? 25, 1), 200);
  const page = Math.max(query.page ?? 1, 1);
  const offset = (page - 1) * pageSize;
  // SQLite takes no infinite or fractional offset (page 1e308 would fail inside the query)
  if (!Number.isSafeInteger(offset)) {
    throw new ArenaError("invalid_request", `No page ${query.page} of prompts.`);
  }
  const conditions = [];
  if (query.q) conditions.push(containsText(query.q));
  if (query.category) {
    conditions.push(
      inArray(
        prompts.id,
        db
          .select({ id: promptCategories.promptId })
          .from(promptCategories)
          .where(eq(promptCategories.category, query.category)),
      ),
    );
  }
  const where = conditions.length ? and(...conditions) : undefined;
  const total = (await db.select({ n: count() }).from(prompts).where(where))[0]?.n ?? 0;
  const base = await db
    .select({
      id: prompts.id,
      text: prompts.text,
      turns: prompts.turns,
      language: prompts.language,
      source: prompts.source,
      disabled: prompts.disabled,
      // Spelled out: in a select list Drizzle renders columns unqualified, and a bare "id" inside
      // the subquery would be the response's own id (every prompt then showed "1 responses").
      responses:
        sql<number>`(select count(*) from "responses" r where r."prompt_id" = "prompts"."id")`.mapWith(
          Number,
        ),
    })
    .from(prompts)
    .where(where)
    .orderBy(desc(prompts.id))
    .limit(pageSize)
    .offset(offset);
  const cats = new Map<number, string[]>();
  if (base.length) {
    for (const r of await db
      .select()
      .from(promptCategories)
      .where(
        inArray(
          promptCategories.promptId,
          base.map((b) => b.id),
        ),
      )) {
      cats.set(r.promptId, [...(cats.get(r.promptId) ?? []), r.category]);
    }
  }
  return {
    rows: base.map(({ turns, ...b }) => {
      const categories = (cats.get(b.id) ?? []).sort();
      return { ...b, categories, why: ruleReasons(turns?.length ? turns : [b.text], categories) };
    }),
    total,
  };
}

/** The classifier's reasons for the rule categories a prompt is in (an admin may have removed some). */
function ruleReasons(turns: string[], categories: string[]): PromptRow["why"] {
  return explainPrompt({ turns, language: "" })
    .filter((e) => (RULE_CATEGORIES as readonly string[]).includes(e.category))
    .filter((e) => categories.includes(e.category))
    .map((e) => ({
      category: e.category,
      reasons: e.reasons.map((r) => `${r.rule}: ${r.match}`).join("; "),
    }));
}

export async function allCategories(db: ArenaDb): Promise<{ category: string; prompts: number }[]> {
  return db
    .select({ category: promptCategories.category, prompts: count() })
    .from(promptCategories)
    .groupBy(promptCategories.category)
    .orderBy(promptCategories.category);
}

/**
 * Replaces a prompt's categories and moves the votes already cast on it to the new ones: the
 * tallies of removed categories lose exactly those votes and added ones gain them, in the same
 * transaction as the change (no full recompute, nothing stale after a crash).
 */
export async function setPromptCategories(
  db: ArenaDb,
  promptId: number,
  categories: string[],
): Promise<string[]> {
  const slugs = [...new Set(categories.map(categorySlug).filter((c) => c && c !== OVERALL))].sort();
  await db.transaction(async (tx) => {
    const [exists] = await tx
      .select({ id: prompts.id })
      .from(prompts)
      .where(eq(prompts.id, promptId))
      .limit(1);
    if (!exists) throw new ArenaError("not_found", `No prompt with id ${promptId}.`);
    await lockPromptCategories(tx, [promptId], "update");
    const before = (
      await tx
        .select({ category: promptCategories.category })
        .from(promptCategories)
        .where(eq(promptCategories.promptId, promptId))
    ).map((r) => r.category);
    await tx.delete(promptCategories).where(eq(promptCategories.promptId, promptId));
    if (slugs.length)
      await tx.insert(promptCategories).values(slugs.map((category) => ({ promptId, category })));
    const removed = before.filter((c) => !slugs.includes(c));
    const added = slugs.filter((c) => !before.includes(c));
    if (removed.length + added.length === 0) return;
    const votes = await tx
      .select({
        modelAId: battles.modelAId,
        modelBId: battles.modelBId,
        winner: sql<Winner>`${battles.winner}`,
        n: count(),
      })
      .from(battles)
      .where(
        and(
          eq(battles.promptId, promptId),
          isNotNull(battles.winner),
          eq(battles.excluded, false),
          eq(battles.identityLeak, false),
          countedBattle,
        ),
      )
      .groupBy(battles.modelAId, battles.modelBId, battles.winner);
    await addToTallies(tx, [
      ...removed.flatMap((category) => votes.map((v) => ({ ...v, category, n: -v.n }))),
      ...added.flatMap((category) => votes.map((v) => ({ ...v, category }))),
    ]);
  });
  return slugs;
}

/** A disabled prompt is never drawn again; the votes already cast on it still count. */
export async function setPromptDisabled(
  db: ArenaDb,
  promptId: number,
  disabled: boolean,
): Promise<void> {
  const r = await db.update(prompts).set({ disabled }).where(eq(prompts.id, promptId));
  if (changes(r) === 0) throw new ArenaError("not_found", `No prompt with id ${promptId}.`);
}

/**
 * After the classifier changes: every prompt's classifier categories decided again and the
 * tallies moved with them, so each category's leaderboard counts the votes of the prompts now in
 * it. What is redone is what the classifier decides (math, coding, multi-turn, longer-query and
 * the language category); tags and categories an admin added stay, and the stand-in prompts of
 * votes imported without text keep the categories their file gave. A prompt stored as English is
 * identified again, because "en" is what every Latin-script prompt got before the language was
 * identified properly (and what the column defaults to); a prompt stored with another language
 * keeps it.
 *
 * Bounded transactions of BATCH prompts each, so votes are answered meanwhile, and each one
 * leaves the tallies equal to a recount of the battles:
 * - a batch moves the counted votes of the prompts whose categories changed, from the categories
 *   they left to the ones they joined (as setPromptCategories does for one prompt);
 * - on PostgreSQL it first locks its prompts' rows (prompt-lock.ts), so a vote being cast on one
 *   of them either commits before the batch reads the votes (and is moved with them) or waits and
 *   then reads the new categories, and an admin's edit of one waits too;
 * - it is refused while an import runs: an import adds its votes to the categories it read while
 *   it wrote, and the shared `imports` lock keeps one from beginning during a batch.
 * Stopping half-way leaves every prompt either reclassified or not, and running it again finishes.
 */
import { and, asc, eq, gt, inArray, isNotNull, ne, type SQL, sql } from "drizzle-orm";
import type { ArenaDb } from "@/db/client";
import { lockKey } from "@/db/rows";
import { battles, promptCategories, prompts, tallies, type Winner } from "@/db/schema";
import { PLACEHOLDER_SOURCE } from "./catalog";
import {
  classifyPrompt,
  detectLanguage,
  isClassifierCategory,
  languageCategory,
} from "./categories";
import { assertNoImportRunning } from "./import-runs";
import { countedBattle } from "./import-visibility";
import { lockPromptCategories } from "./prompt-lock";
import { addToTallies, type TallyCell } from "./tallies";

const BATCH = 100;

export interface ReclassifySummary {
  prompts: number;
  changed: number;
  /** Prompts added to (+) and taken from (−) each category. */
  moves: Record<string, { added: number; removed: number }>;
  /** Counted votes that moved with their prompts (each vote once per category it moved in or out of). */
  votesMoved: number;
}

export async function reclassifyPrompts(
  db: ArenaDb,
  opts: { batchSize?: number; onBatch?: (done: number) => void | Promise<void> } = {},
): Promise<ReclassifySummary> {
  const summary: ReclassifySummary = { prompts: 0, changed: 0, moves: {}, votesMoved: 0 };
  let after = 0;
  for (;;) {
    const last = await db.transaction(
      (tx) => reclassifyBatch(tx, after, opts.batchSize ?? BATCH, summary),
      { behavior: "immediate" },
    );
    if (last === undefined) return summary;
    after = last;
    await opts.onBatch?.(summary.prompts);
  }
}

/** What a reclassification changed, in words: for the CLI and the admin action alike. */
export function describeReclassify(s: ReclassifySummary): string {
  const moves = Object.entries(s.moves)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([c, m]) => `${c} +${m.added} −${m.removed}`);
  return `Reclassified ${s.prompts} prompts: ${s.changed} changed category${moves.length ? ` (${moves.join(", ")})` : ""}, ${s.votesMoved} vote moves in the tallies.`;
}

interface Decided {
  id: number;
  language: string;
  languageChanged: boolean;
  removed: string[];
  added: string[];
}

/** One batch of prompts after id `after`; the last id read, or undefined when none were left. */
async function reclassifyBatch(
  tx: ArenaDb,
  after: number,
  size: number,
  summary: ReclassifySummary,
): Promise<number | undefined> {
  await lockKey(tx, "imports", "shared");
  await assertNoImportRunning(tx);
  const batch = await tx
    .select({
      id: prompts.id,
      text: prompts.text,
      turns: prompts.turns,
      language: prompts.language,
    })
    .from(prompts)
    .where(and(gt(prompts.id, after), ne(prompts.source, PLACEHOLDER_SOURCE)))
    .orderBy(asc(prompts.id))
    .limit(size);
  if (batch.length === 0) return undefined;
  const ids = batch.map((p) => p.id);
  // before their categories are read: no vote or edit on them runs until this batch commits
  await lockPromptCategories(tx, ids, "update");
  const current = new Map<number, string[]>();
  for (const r of await tx
    .select()
    .from(promptCategories)
    .where(inArray(promptCategories.promptId, ids)))
    current.set(r.promptId, [...(current.get(r.promptId) ?? []), r.category]);

  const decided: Decided[] = [];
  for (const p of batch) {
    const turns = p.turns?.length ? p.turns : [p.text];
    const language = p.language === "en" ? detectLanguage(turns.join("\n")) : p.language;
    const before = current.get(p.id) ?? [];
    // Kept: what the classifier does not decide (tags, an admin's own categories).
    const kept = before.filter(
      (c) => !isClassifierCategory(c) && c !== languageCategory(p.language),
    );
    const now = classifyPrompt({ turns, language, tags: kept });
    const removed = before.filter((c) => !now.includes(c));
    const added = now.filter((c) => !before.includes(c));
    const languageChanged = language !== p.language;
    if (removed.length + added.length > 0 || languageChanged)
      decided.push({ id: p.id, language, languageChanged, removed, added });
  }
  summary.prompts += batch.length;
  const moved = decided.filter((d) => d.removed.length + d.added.length > 0);
  if (moved.length) await moveVotes(tx, moved, summary);
  for (const d of decided) {
    if (d.languageChanged)
      await tx.update(prompts).set({ language: d.language }).where(eq(prompts.id, d.id));
    if (d.removed.length)
      await tx
        .delete(promptCategories)
        .where(
          and(eq(promptCategories.promptId, d.id), inArray(promptCategories.category, d.removed)),
        );
    if (d.added.length)
      await tx
        .insert(promptCategories)
        .values(d.added.map((category) => ({ promptId: d.id, category })))
        .onConflictDoNothing();
  }
  summary.changed += moved.length;
  const move = (c: string) => {
    summary.moves[c] ??= { added: 0, removed: 0 };
    return summary.moves[c];
  };
  for (const d of moved) {
    for (const c of d.added) move(c).added++;
    for (const c of d.removed) move(c).removed++;
  }
  return ids[ids.length - 1];
}

/** Moves the counted votes of these prompts between categories, in the batch's transaction. */
async function moveVotes(tx: ArenaDb, moved: Decided[], summary: ReclassifySummary): Promise<void> {
  const ids = moved.map((d) => d.id);
  const votes = await tx
    .select({
      promptId: battles.promptId,
      modelAId: battles.modelAId,
      modelBId: battles.modelBId,
      winner: sql<Winner>`${battles.winner}`,
      n: sql<number>`count(*)`.mapWith(Number),
    })
    .from(battles)
    .where(
      and(
        inArray(battles.promptId, ids),
        isNotNull(battles.winner),
        eq(battles.excluded, false),
        eq(battles.identityLeak, false),
        countedBattle,
      ),
    )
    .groupBy(battles.promptId, battles.modelAId, battles.modelBId, battles.winner);
  const byPrompt = new Map(moved.map((d) => [d.id, d]));
  const cells: TallyCell[] = [];
  const emptied = new Set<string>();
  for (const { promptId, ...v } of votes) {
    const d = byPrompt.get(promptId);
    if (!d) continue;
    for (const category of d.removed) {
      cells.push({ ...v, category, n: -v.n });
      emptied.add(category);
    }
    for (const category of d.added) cells.push({ ...v, category });
    summary.votesMoved += v.n * (d.removed.length + d.added.length);
  }
  if (cells.length === 0) return;
  await addToTallies(tx, cells);
  // A pair left with no votes in a category is no row at all, as in a recount.
  if (emptied.size)
    await tx.delete(tallies).where(and(inArray(tallies.category, [...emptied]), allZero));
}

const allZero: SQL = sql`${tallies.winsA} = 0 and ${tallies.winsB} = 0 and ${tallies.ties} = 0 and ${tallies.bothBad} = 0`;

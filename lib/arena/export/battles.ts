import { createHash } from "node:crypto";
import { and, asc, eq, gt, inArray, isNotNull, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { ArenaDb } from "@/db/client";
import { battles, models, promptCategories, prompts, responses, type Winner } from "@/db/schema";
import { categoryDisplayName, languageCategory } from "@/lib/arena/categories";
import { countedBattle } from "@/lib/arena/import-visibility";
import { csvRow } from "@/lib/import/csv-write";
import { WINNER } from "@/lib/winner";

export type ExportFormat = "fastchat" | "csv";

/** A stable pseudonym: the same voter is the same judge in every export, and the id itself never leaves. */
export function judgePseudonym(voterId: string): string {
  return `judge_${createHash("sha256").update(voterId).digest("hex").slice(0, 16)}`;
}

/** The shape FastChat's `category_tag` gives the categories we know how to express. */
export function toCategoryTag(categories: string[]): Record<string, Record<string, boolean>> {
  const has = (c: string) => categories.includes(c);
  const tag: Record<string, Record<string, boolean>> = {
    "math_v0.1": { math: has("math") },
    "creative_writing_v0.1": { creative_writing: has("creative-writing") || has("writing") },
    "if_v0.1": { if: has("instruction-following") },
  };
  if (has("hard-prompts")) {
    tag["criteria_v0.1"] = Object.fromEntries(
      [
        "specificity",
        "domain_knowledge",
        "complexity",
        "problem_solving",
        "creativity",
        "technical_accuracy",
        "real_world",
      ].map((k) => [k, true]),
    );
  }
  return tag;
}

interface ExportedBattle {
  id: string;
  votedAt: Date;
  voterId: string;
  winner: Winner;
  modelA: string;
  modelB: string;
  prompt: string;
  language: string;
  responseA: string;
  responseB: string;
  source: string;
  identityLeak: boolean;
  excluded: boolean;
  categories: string[];
}

const modelA = alias(models, "model_a");
const modelB = alias(models, "model_b");
const responseA = alias(responses, "response_a");
const responseB = alias(responses, "response_b");
const CHUNK = 1000;

/** Every voted battle in vote order, read in keyset pages so memory stays flat on any database size. */
export async function* votedBattles(db: ArenaDb): AsyncGenerator<ExportedBattle> {
  let after: { at: Date; id: string } | null = null;
  for (;;) {
    const page = await db
      .select({
        id: battles.id,
        votedAt: sql<Date>`${battles.votedAt}`.mapWith(battles.votedAt),
        voterId: battles.voterId,
        winner: sql<Winner>`${battles.winner}`,
        promptId: battles.promptId,
        modelA: modelA.slug,
        modelB: modelB.slug,
        prompt: prompts.text,
        language: prompts.language,
        responseA: sql<string>`coalesce(${responseA.text}, '')`,
        responseB: sql<string>`coalesce(${responseB.text}, '')`,
        source: battles.source,
        identityLeak: battles.identityLeak,
        excluded: battles.excluded,
      })
      .from(battles)
      .innerJoin(prompts, eq(prompts.id, battles.promptId))
      .innerJoin(modelA, eq(modelA.id, battles.modelAId))
      .innerJoin(modelB, eq(modelB.id, battles.modelBId))
      .leftJoin(
        responseA,
        and(eq(responseA.promptId, battles.promptId), eq(responseA.modelId, battles.modelAId)),
      )
      .leftJoin(
        responseB,
        and(eq(responseB.promptId, battles.promptId), eq(responseB.modelId, battles.modelBId)),
      )
      .where(
        and(
          isNotNull(battles.winner),
          countedBattle, // not a running import's votes
          after
            ? or(
                gt(battles.votedAt, after.at),
                and(eq(battles.votedAt, after.at), gt(battles.id, after.id)),
              )
            : undefined,
        ),
      )
      .orderBy(asc(battles.votedAt), asc(battles.id))
      .limit(CHUNK);
    if (page.length === 0) return;
    const cats = new Map<number, string[]>();
    for (const r of await db
      .select()
      .from(promptCategories)
      .where(inArray(promptCategories.promptId, [...new Set(page.map((b) => b.promptId))]))) {
      cats.set(r.promptId, [...(cats.get(r.promptId) ?? []), r.category]);
    }
    for (const { promptId, ...b } of page)
      yield { ...b, categories: (cats.get(promptId) ?? []).sort() };
    const last = page[page.length - 1] as (typeof page)[number];
    after = { at: last.votedAt, id: last.id };
  }
}

function fastChatRecord(b: ExportedBattle) {
  return {
    question_id: b.id,
    model_a: b.modelA,
    model_b: b.modelB,
    winner: WINNER[b.winner].fastChat,
    judge: judgePseudonym(b.voterId),
    conversation_a: [
      { role: "user", content: b.prompt },
      { role: "assistant", content: b.responseA },
    ],
    conversation_b: [
      { role: "user", content: b.prompt },
      { role: "assistant", content: b.responseB },
    ],
    turn: 1,
    anony: true,
    language: categoryDisplayName(languageCategory(b.language)),
    tstamp: b.votedAt.getTime() / 1000,
    source: b.source,
    categories: b.categories,
    category_tag: toCategoryTag(b.categories),
    identity_leak: b.identityLeak,
    excluded: b.excluded,
  };
}

const CSV_COLUMNS = [
  "question_id",
  "tstamp",
  "model_a",
  "model_b",
  "winner",
  "judge",
  "language",
  "categories",
  "identity_leak",
  "excluded",
  "prompt",
  "response_a",
  "response_b",
] as const;

/**
 * The export as text chunks: FastChat clean_battle JSON (an array) or CSV with a header row.
 * In the CSV, `tstamp` is a number cell and the flags booleans; everything else is text,
 * neutralised against formula injection (the import reverses it, see csv-write.ts).
 */
export async function* exportBattles(db: ArenaDb, format: ExportFormat): AsyncGenerator<string> {
  if (format === "csv") {
    yield `${csvRow(CSV_COLUMNS)}\r\n`;
    for await (const b of votedBattles(db)) {
      const r = fastChatRecord(b);
      const row = [
        r.question_id,
        r.tstamp,
        r.model_a,
        r.model_b,
        r.winner,
        r.judge,
        r.language,
        r.categories.join(";"),
        r.identity_leak,
        r.excluded,
        b.prompt,
        b.responseA,
        b.responseB,
      ];
      yield `${csvRow(row)}\r\n`;
    }
    return;
  }
  yield "[";
  let first = true;
  for await (const b of votedBattles(db)) {
    yield `${first ? "\n" : ",\n"}${JSON.stringify(fastChatRecord(b))}`;
    first = false;
  }
  yield "\n]\n";
}

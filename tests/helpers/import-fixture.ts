/**
 * An arena with live votes and a file to import into it that touches every kind of row: new
 * responses (from a new model) to prompts voters already see, new prompts answered by known
 * models, a new model, and historical votes on both.
 */
import { count, eq, sql } from "drizzle-orm";
import type { ArenaDb } from "@/db/client";
import { first, rows } from "@/db/rows";
import { battles, models, prompts, responses } from "@/db/schema";
import { castVote, createBattle } from "@/lib/arena/battles";
import type { TallyRow } from "@/lib/arena/tallies";
import { FASTCHAT_WINNERS } from "@/lib/winner";
import { seededRng, seedPrompts } from "./db";

export const OLD_MODELS = ["old-a", "old-b", "old-c"];
const SEEDED = 8;
const HOUR = 3_600_000;

/** 8 prompts answered by 3 models, and `votes` live votes on them. */
export async function arenaWithVotes(db: ArenaDb | Promise<ArenaDb>, votes = 12): Promise<ArenaDb> {
  db = await db;
  await seedPrompts(db, SEEDED, OLD_MODELS);
  const rng = seededRng(7);
  for (let i = 0; i < votes; i++) {
    const voterId = `voter-${i % 4}-aaaaaaaaaaaaaaaa`;
    const { id } = await createBattle(db, voterId, { rng });
    await castVote(db, { battleId: id, voterId, winner: i % 3 ? "a" : "tie", ttlMs: HOUR });
  }
  return db;
}

/**
 * Battles with text, as JSONL (import with `votes`): even records put the new model `new-x`
 * against `old-a` on a seeded prompt (old-a's response is already there), odd ones `old-a`
 * against `old-b` on a prompt of their own. `from` shifts the new prompts, for overlapping files.
 */
export function battlesFile(n: number, from = 0): string {
  const lines: string[] = [];
  for (let i = from; i < from + n; i++) {
    const k = i % SEEDED;
    const record =
      i % 2 === 0
        ? {
            model_a: "new-x",
            model_b: "old-a",
            prompt: `Prompt number ${k}: tell me something interesting.`,
            response_a: `A fresh take ${i} on prompt ${k}`,
            response_b: `Answer by model number 0 to prompt ${k}`,
            winner: FASTCHAT_WINNERS[i % 4],
          }
        : {
            model_a: "old-a",
            model_b: "old-b",
            prompt: `Fresh question ${i}: how many legs does a spider have?`,
            response_a: `Eight, said the first ${i}`,
            response_b: `Eight legs, said the second ${i}`,
            winner: FASTCHAT_WINNERS[i % 4],
          };
    lines.push(JSON.stringify({ ...record, tstamp: 1_700_000_000 + i }));
  }
  return `${lines.join("\n")}\n`;
}

/** Row counts of every table an import writes to. */
export async function tableCounts(db: ArenaDb): Promise<Record<string, number>> {
  const tables = ["models", "prompts", "prompt_categories", "responses", "battles", "tallies"];
  const out: Record<string, number> = {};
  for (const t of tables) {
    const row = await first(
      rows<{ n: number }>(db, sql`select count(*) as n from ${sql.identifier(t)}`),
    );
    out[t] = Number(row?.n);
  }
  return out;
}

/** Rows an import tagged or left pending. */
export async function importedRows(db: ArenaDb, importId: number) {
  const n = async (t: typeof models | typeof prompts | typeof responses | typeof battles) =>
    (await db.select({ n: count() }).from(t).where(eq(t.importId, importId)))[0]?.n ?? 0;
  return {
    models: await n(models),
    prompts: await n(prompts),
    responses: await n(responses),
    battles: await n(battles),
  };
}

export async function pendingRows(db: ArenaDb): Promise<number> {
  const row = await first(
    rows<{ n: number }>(
      db,
      sql`select (select count(*) from ${responses} where ${responses.pending} = true) + (select count(*) from ${battles} where ${battles.pending} = true) as n`,
    ),
  );
  return Number(row?.n);
}

/** Tallies as a comparable map, empty cells left out. */
export function tallyMap(rows: TallyRow[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of rows) {
    if (r.winsA + r.winsB + r.ties + r.bothBad === 0) continue;
    out[`${r.category}|${r.modelAId}|${r.modelBId}`] =
      `${r.winsA}/${r.winsB}/${r.ties}/${r.bothBad}`;
  }
  return out;
}

export const totalVotes = (rows: TallyRow[]) =>
  rows.reduce((s, t) => s + t.winsA + t.winsB + t.ties + t.bothBad, 0);

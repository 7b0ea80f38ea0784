/**
 * What orders a change of a prompt's categories against the votes counted under them, on
 * PostgreSQL (SQLite has one writer at a time, so there is nothing to order). A vote locks its
 * prompt's row for share before it reads the categories it bumps; a change (reclassify, an admin's
 * edit) locks the rows for update before it counts the votes it moves. Either the vote commits
 * first and is counted and moved, or it waits and reads the new categories. Row locks, not
 * advisory ones: votes on different prompts never wait for each other.
 */
import { inArray, sql } from "drizzle-orm";
import type { ArenaDb } from "@/db/client";
import { dialect } from "@/db/connection";
import { rows } from "@/db/rows";
import { prompts } from "@/db/schema";

export async function lockPromptCategories(
  tx: ArenaDb,
  promptIds: number[],
  mode: "share" | "update",
): Promise<void> {
  if (dialect(tx) !== "postgres" || promptIds.length === 0) return;
  // in id order, so two changes over overlapping prompts cannot deadlock
  await rows(
    tx,
    sql`select ${prompts.id} from ${prompts} where ${inArray(prompts.id, promptIds)} order by ${prompts.id} for ${sql.raw(mode === "share" ? "share" : "update")}`,
  );
}

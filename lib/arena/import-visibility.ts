/**
 * How an import stays all-or-nothing although it is written in many short transactions (so
 * that voting goes on meanwhile).
 *
 * Every row an import writes carries its `import_id`; its new responses and battles are also
 * `pending`. THE INVARIANT, true after every committed transaction:
 *
 *     a response is drawable, and a battle counted, iff  not pending  or  its import is `done`.
 *
 * - While an import runs, its batches add pending rows only. Matchmaking skips them, and every
 *   reader that counts votes (recompute, exports, admin stats, the models list) skips them; the
 *   tallies are not touched. A new prompt has only pending responses, so it cannot be drawn at
 *   all; an existing prompt is drawn with its old responses only.
 * - The commit is ONE short transaction: add the import's aggregated tallies (one row per
 *   category × model pair, not per vote) and set the import `done`. At that instant all its
 *   responses become drawable and all its votes count, and tallies = recompute holds on both
 *   sides of it. Its cost does not grow with the number of rows.
 * - Afterwards `pending` is cleared in batches. Nobody sees a difference (a pending row of a done
 *   import already counts); it only lets readers take the cheap `pending = false` branch again. A
 *   crash in between leaves pending rows of a done import, which is still correct.
 * - A failed or crashed import is never `done`, so none of its rows were ever drawn or counted.
 *   They are deleted in batches while it is still `running` (so no other import starts and
 *   deduplicates against them), and only then is it marked `failed`. Its new models and prompts
 *   go too: they were reachable only through its pending rows.
 *
 * Recompute is the check: `talliesFromBattles` counts exactly the counted battles, so a
 * recompute at any moment during an import changes nothing, and neither does one after it.
 */
import { desc, sql } from "drizzle-orm";
import type { ArenaDb } from "@/db/client";
import { battles, imports, responses } from "@/db/schema";
import { prepared } from "./prepared";

const doneImports = sql`(select ${imports.id} from ${imports} where ${imports.status} = 'done')`;

/** A battle whose vote (if any) counts: not pending, or its import is done. */
export const countedBattle = sql`(${battles.pending} = false or ${battles.importId} in ${doneImports})`;

/** A response matchmaking may draw: not pending, or its import is done. */
export const drawableResponse = sql`(${responses.pending} = false or ${responses.importId} in ${doneImports})`;

/**
 * Whether an import is being written (or rolled back) now. Only then can a response be pending
 * and not drawable, so matchmaking checks `drawableResponse` only then and otherwise keeps its
 * covering-index read (the pending flag costs a table read per row, ~5× on long responses).
 * One indexed read whatever the number of past imports: an import begins only when none is
 * `running` (import-runs.ts beginImport) and only a beginning import adds a row, so a running
 * import is always the newest row.
 */
export async function importRunning(db: ArenaDb): Promise<boolean> {
  const newest = prepared(db, "imports.newest", () =>
    db
      .select({ status: imports.status })
      .from(imports)
      .orderBy(desc(imports.id))
      .limit(1)
      .prepare(),
  );
  return (await newest.execute())[0]?.status === "running";
}

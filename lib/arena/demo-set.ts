/**
 * The demo set (lib/arena/demo-data.ts) is for trying the arena out. Once real data is in, its fictional
 * models would be ranked beside real ones they never met, so an admin removes it in one step:
 * its responses, the battles that showed one (votes included, and their share of the tallies),
 * its prompts and its models, except what real data still uses.
 *
 * Which rows are demo: the seed writes its prompts with source "demo" and, like their
 * responses, no import id (an import tags every row it writes, even from a file called "demo").
 * A real file that repeats a demo prompt adds its responses to it: that prompt stays, with those
 * responses and the votes between them. A demo model stays when it answered anything else.
 */
import { type SQL, sql } from "drizzle-orm";
import type { ArenaDb } from "@/db/client";
import { execute, rows } from "@/db/rows";
import { battles, models, prompts, responses, tallies, WINNERS } from "@/db/schema";
import { assertNoImportRunning } from "./import-runs";
import {
  addToTallies,
  bumpTalliesVersion,
  type TallyCell,
  type TallyRow,
  talliesFromBattles,
} from "./tallies";

/** The `source` of the seed's prompts. */
export const DEMO_SOURCE = "demo";

/** What an admin types to confirm the removal: checked on the server, not only in the form. */
export const REMOVE_DEMO_CONFIRMATION = "remove demo";

export interface DemoSetCounts {
  prompts: number;
  responses: number;
  models: number;
  /** Votes on battles that showed a demo response (counted or not). */
  votes: number;
}

/** The demo prompts' ids, as a subquery. */
const demoPrompts = sql`(select ${prompts.id} from ${prompts} where ${prompts.source} = ${DEMO_SOURCE} and ${prompts.importId} is null)`;

/** A response row (alias r) the seed wrote. */
const seeded = sql`r.import_id is null and r.prompt_id in ${demoPrompts}`;

/** A demo response of this model to this prompt exists. */
const demoAnswer = (prompt: SQL, model: SQL) =>
  sql`exists (select 1 from ${responses} r where r.prompt_id = ${prompt} and r.model_id = ${model} and ${seeded})`;

/** A battle that showed a demo response. */
const demoBattle = sql`(${battles.promptId} in ${demoPrompts} and (${demoAnswer(sql`${battles.promptId}`, sql`${battles.modelAId}`)} or ${demoAnswer(sql`${battles.promptId}`, sql`${battles.modelBId}`)}))`;

/** Demo prompts nothing else uses: no response but the seed's, no battle but demo ones. */
const promptsToRemove = sql`(select p.id from ${prompts} p where p.source = ${DEMO_SOURCE} and p.import_id is null
  and not exists (select 1 from ${responses} r where r.prompt_id = p.id and r.import_id is not null)
  and not exists (select 1 from ${battles} where ${battles.promptId} = p.id and not ${demoBattle}))`;

/** Models that wrote demo responses and nothing else, and met no one outside demo battles. */
const modelsToRemove = sql`(select distinct r.model_id from ${responses} r where ${seeded}
  and not exists (select 1 from ${responses} o where o.model_id = r.model_id and not (o.import_id is null and o.prompt_id in ${demoPrompts}))
  and not exists (select 1 from ${battles} where (${battles.modelAId} = r.model_id or ${battles.modelBId} = r.model_id) and not ${demoBattle}))`;

/** What removing the demo set would take away now; all zero once it is gone (or never was). */
export async function demoSetCounts(db: ArenaDb): Promise<DemoSetCounts> {
  const n = async (q: SQL) => (await rows<{ n: number }>(db, q))[0]?.n ?? 0;
  return {
    prompts: await n(sql`select count(*) as n from ${promptsToRemove} as gone`),
    responses: await n(sql`select count(*) as n from ${responses} r where ${seeded}`),
    models: await n(sql`select count(*) as n from ${modelsToRemove} as gone`),
    votes: await n(
      sql`select count(*) as n from ${battles} where ${battles.winner} is not null and ${demoBattle}`,
    ),
  };
}

/** Whether any demo response is left. */
export async function hasDemoSet(db: ArenaDb): Promise<boolean> {
  return (
    (await rows(db, sql`select 1 as one from ${responses} r where ${seeded} limit 1`)).length > 0
  );
}

/**
 * Removes the demo set in one transaction: the counted votes of its battles leave the tallies
 * (so they equal a recount of what remains), then those battles, its responses, prompts and
 * models go. Refused with `import_running` (409) while an import runs or awaits its roll-back:
 * an import's clean-up finds its rows by id ranges that must not move under it.
 */
export async function removeDemoSet(db: ArenaDb): Promise<DemoSetCounts> {
  return db.transaction(
    async (tx) => {
      await assertNoImportRunning(tx, { evenAbandoned: true });
      const counts = await demoSetCounts(tx);
      // decided before anything is deleted: what goes is what was demo when the admin asked
      const promptIds = await rows<{ id: number }>(
        tx,
        sql`select id from ${promptsToRemove} as gone`,
      );
      const modelIds = await rows<{ id: number }>(
        tx,
        sql`select model_id as id from ${modelsToRemove} as gone`,
      );
      await addToTallies(tx, negated(await talliesFromBattles(tx, demoBattle)));
      // Pairs that met only in demo battles are left at zero: gone, as a recount has no such row.
      await tx
        .delete(tallies)
        .where(
          sql`${tallies.winsA} = 0 and ${tallies.winsB} = 0 and ${tallies.ties} = 0 and ${tallies.bothBad} = 0`,
        );
      await tx.delete(battles).where(demoBattle);
      await execute(
        tx,
        sql`delete from ${responses} where ${responses.importId} is null and ${responses.promptId} in ${demoPrompts}`,
      );
      for (const { id } of promptIds) await tx.delete(prompts).where(sql`${prompts.id} = ${id}`);
      for (const { id } of modelIds) await tx.delete(models).where(sql`${models.id} = ${id}`);
      // the leaderboard's cache key: its models changed even when no demo vote was counted
      await bumpTalliesVersion(tx);
      return counts;
    },
    { behavior: "immediate" },
  );
}

/** Each outcome count of the rows as a cell to take away. */
function negated(tallyRows: TallyRow[]): TallyCell[] {
  const field = { a: "winsA", b: "winsB", tie: "ties", bothbad: "bothBad" } as const;
  return tallyRows.flatMap((row) =>
    WINNERS.filter((w) => row[field[w]] > 0).map((winner) => ({
      category: row.category,
      modelAId: row.modelAId,
      modelBId: row.modelBId,
      winner,
      n: -row[field[winner]],
    })),
  );
}

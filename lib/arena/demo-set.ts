/**
 * The demo set (db/seed.ts) is for trying the arena out. Once real data is in, its fictional
 * models would be ranked beside real ones they never met, so an admin removes it in one step:
 * its prompts, their responses and battles (votes included, and their share of the tallies),
 * and the demo models that nothing else refers to.
 *
 * Which rows are demo: the seed writes its prompts with source "demo" and no import id (an
 * import always has one, even for a file called "demo"); the demo models are the ones that
 * answered those prompts and have no response or battle left elsewhere once they are gone.
 */
import { and, eq, inArray, isNull, type SQL, sql } from "drizzle-orm";
import type { ArenaDb } from "@/db/client";
import { battles, models, prompts, responses, tallies, WINNERS } from "@/db/schema";
import { assertNoImportRunning } from "./import-runs";
import { addToTallies, bumpTalliesVersion, type TallyCell, talliesFromBattles } from "./tallies";

/** The `source` of the seed's prompts. */
export const DEMO_SOURCE = "demo";

/** What an admin types to confirm the removal: checked on the server, not only in the form. */
export const REMOVE_DEMO_CONFIRMATION = "remove demo";

export interface DemoSetCounts {
  prompts: number;
  responses: number;
  models: number;
  /** Votes cast on demo prompts (counted or not). */
  votes: number;
}

/** The demo prompts' ids, as a subquery. */
const demoPromptIds = sql`(select ${prompts.id} from ${prompts} where ${prompts.source} = ${DEMO_SOURCE} and ${prompts.importId} is null)`;

function demoModelIds(db: ArenaDb): number[] {
  return db
    .selectDistinct({ id: responses.modelId })
    .from(responses)
    .where(sql`${responses.promptId} in ${demoPromptIds}`)
    .all()
    .map((r) => r.id);
}

/** Models among `ids` with a response or a battle outside the demo prompts: real, kept. */
function modelsInUse(db: ArenaDb, ids: number[]): Set<number> {
  if (ids.length === 0) return new Set();
  const list = sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  );
  const rows = db.all<{ id: number }>(sql`
    select ${responses.modelId} as id from ${responses}
      where ${responses.modelId} in (${list}) and ${responses.promptId} not in ${demoPromptIds}
    union
    select ${battles.modelAId} from ${battles}
      where ${battles.modelAId} in (${list}) and ${battles.promptId} not in ${demoPromptIds}
    union
    select ${battles.modelBId} from ${battles}
      where ${battles.modelBId} in (${list}) and ${battles.promptId} not in ${demoPromptIds}`);
  return new Set(rows.map((r) => r.id));
}

/** What removing the demo set would take away now; all zero once it is gone (or never was). */
export function demoSetCounts(db: ArenaDb): DemoSetCounts {
  const n = (q: SQL) => db.get<{ n: number }>(q)?.n ?? 0;
  const ids = demoModelIds(db);
  const kept = modelsInUse(db, ids);
  return {
    prompts: n(sql`select count(*) as n from ${prompts} where ${prompts.id} in ${demoPromptIds}`),
    responses: n(
      sql`select count(*) as n from ${responses} where ${responses.promptId} in ${demoPromptIds}`,
    ),
    models: ids.filter((id) => !kept.has(id)).length,
    votes: n(
      sql`select count(*) as n from ${battles} where ${battles.winner} is not null and ${battles.promptId} in ${demoPromptIds}`,
    ),
  };
}

export function hasDemoSet(db: ArenaDb): boolean {
  return (
    db
      .select({ id: prompts.id })
      .from(prompts)
      .where(and(eq(prompts.source, DEMO_SOURCE), isNull(prompts.importId)))
      .limit(1)
      .get() !== undefined
  );
}

/**
 * Removes the demo set in one transaction: its counted votes leave the tallies (so they equal a
 * recount of what remains), then its battles, prompts (their responses and categories follow)
 * and models go. Refused with `import_running` (409) while an import runs or awaits its
 * roll-back: an import's clean-up finds its rows by id ranges that must not move under it.
 */
export function removeDemoSet(db: ArenaDb): DemoSetCounts {
  return db.transaction(
    () => {
      assertNoImportRunning(db, { evenAbandoned: true });
      const counts = demoSetCounts(db);
      const ids = demoModelIds(db);
      const kept = modelsInUse(db, ids);
      const onDemoPrompt = sql`${battles.promptId} in ${demoPromptIds}`;
      addToTallies(db, negated(talliesFromBattles(db, onDemoPrompt)));
      // Pairs that met only on demo prompts are left at zero: gone, as a recount has no such row.
      db.delete(tallies)
        .where(
          sql`${tallies.winsA} = 0 and ${tallies.winsB} = 0 and ${tallies.ties} = 0 and ${tallies.bothBad} = 0`,
        )
        .run();
      db.delete(battles).where(onDemoPrompt).run();
      db.delete(prompts).where(sql`${prompts.id} in ${demoPromptIds}`).run();
      const gone = ids.filter((id) => !kept.has(id));
      for (let i = 0; i < gone.length; i += 500)
        db.delete(models)
          .where(inArray(models.id, gone.slice(i, i + 500)))
          .run();
      // the leaderboard's cache key: its models changed even when no demo vote was counted
      bumpTalliesVersion(db);
      return counts;
    },
    { behavior: "immediate" },
  );
}

/** Each outcome count of the rows as a cell to take away. */
function negated(rows: ReturnType<typeof talliesFromBattles>): TallyCell[] {
  const field = { a: "winsA", b: "winsB", tie: "ties", bothbad: "bothBad" } as const;
  return rows.flatMap((row) =>
    WINNERS.filter((w) => row[field[w]] > 0).map((winner) => ({
      category: row.category,
      modelAId: row.modelAId,
      modelBId: row.modelBId,
      winner,
      n: -row[field[winner]],
    })),
  );
}

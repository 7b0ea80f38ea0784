/**
 * How long rolling back a large import takes on PostgreSQL, beside a large arena:
 *   npx tsx scripts/with-postgres.ts npx tsx bench/rollback-pg.ts [baseBattles] [importBattles] [newPrompts]
 * VARIANTS="- battles_prompt battles_prompt,battles_import" compares the indexes (default: the schema's).
 * Builds the rows with generate_series (the arena's shape, not its content), begins an import
 * through the app, tags rows with it as its batches would, and times rollBackImport.
 */
import { sql } from "drizzle-orm";
import { closeDatabase, openDatabase } from "../db/client";
import { execute } from "../db/rows";
import { rollBackImport } from "../lib/arena/import-cleanup";
import { beginImport, releaseImport } from "../lib/arena/import-runs";

const [base = 1_000_000, imported = 100_000, newPrompts = 1000] = process.argv.slice(2).map(Number);
const url = process.env.DATABASE_URL;
if (!url?.startsWith("postgres")) throw new Error("run under scripts/with-postgres.ts");
const db = await openDatabase(url);
const t = async (label: string, q: ReturnType<typeof sql>) => {
  const t0 = performance.now();
  const n = await execute(db, q);
  console.log(`${label}: ${n} rows, ${(performance.now() - t0).toFixed(0)} ms`);
};
await t(
  "models",
  sql`insert into models (slug, display_name) select 'm' || g, 'M' || g from generate_series(1, 50) g`,
);
await t(
  "prompts",
  sql`insert into prompts (text, content_hash) select 'p' || g, 'h' || g from generate_series(1, 2000) g`,
);
await t(
  "battles",
  sql`insert into battles (id, prompt_id, model_a_id, model_b_id, voter_id, created_at, winner, voted_at, source, import_id)
      select 'b' || g, 1 + g % 2000, 1 + g % 50, 1 + (g + 1) % 50, 'v', 1700000000000, 'a', 1700000000000, 'import', 1000000
      from generate_series(1, ${base}) g`,
);
await t("analyze", sql`analyze`);
// Each variant names the battles indexes present while it runs ("-": none): the schema's
// battles_prompt and battles_import, dropped or created again for the comparison.
const INDEXES: Record<string, ReturnType<typeof sql>> = {
  battles_prompt: sql`create index if not exists battles_prompt on battles (prompt_id)`,
  battles_import: sql`create index if not exists battles_import on battles (import_id) where import_id is not null`,
};
for (const variant of (process.env.VARIANTS ?? "battles_prompt,battles_import").split(" ")) {
  const indexes = variant.split(",").filter((n) => n in INDEXES);
  for (const [name, create] of Object.entries(INDEXES))
    await t(name, indexes.includes(name) ? create : sql.raw(`drop index if exists ${name}`));
  const run = await beginImport(db, { format: "battles" });
  await t(
    "new models",
    sql`insert into models (slug, display_name, import_id) select 'new' || ${run.id} || '-' || g, 'N', ${run.id} from generate_series(1, 2) g`,
  );
  await t(
    "new prompts",
    sql`insert into prompts (text, content_hash, import_id) select 'np' || g, 'nh' || ${run.id} || '-' || g, ${run.id} from generate_series(1, ${newPrompts}) g`,
  );
  await t(
    "new responses",
    sql`insert into responses (prompt_id, model_id, text, import_id, pending)
        select p.id, m.id, 'r', ${run.id}, true from prompts p cross join (select id from models where import_id = ${run.id}) m where p.import_id = ${run.id}`,
  );
  await t(
    "new battles",
    sql`insert into battles (id, prompt_id, model_a_id, model_b_id, voter_id, created_at, winner, voted_at, source, import_id, pending)
        select 'i' || ${run.id} || '-' || g, (select min(id) from prompts where import_id = ${run.id}) + g % ${newPrompts},
          (select min(id) from models where import_id = ${run.id}), 1 + g % 50, 'v', 1700000000000, 'a', 1700000000000, 'import', ${run.id}, true
        from generate_series(1, ${imported}) g`,
  );
  const t0 = performance.now();
  await rollBackImport(db, run, "measured");
  await releaseImport(db, run);
  console.log(
    `rollBackImport (${indexes.join("+") || "no index"}): ${imported} battles, ${newPrompts} prompts, beside ${base}: ${(performance.now() - t0).toFixed(0)} ms`,
  );
}
await closeDatabase(db);

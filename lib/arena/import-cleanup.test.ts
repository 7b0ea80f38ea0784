/**
 * What keeps an import's roll-back fast beside a large arena: its battles, and the battles that
 * would still refer to a prompt it deletes, are found through an index on both databases, not
 * by reading every battle (on PostgreSQL once per prompt deleted: bench/rollback-pg.ts).
 */
import { type SQL, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { type ArenaDb, dialect } from "@/db/client";
import { rows } from "@/db/rows";
import { testDb } from "@/tests/helpers/db";

/** The plan of `query`, as text. On PostgreSQL with sequential scans priced out, so that the
 * empty test tables do not make a scan look cheaper than an index that is there. */
async function plan(db: ArenaDb, query: SQL): Promise<string> {
  if (dialect(db) === "sqlite")
    return JSON.stringify(await rows(db, sql`explain query plan ${query}`));
  return db.transaction(async (tx) => {
    await rows(tx, sql`set local enable_seqscan = off`);
    return JSON.stringify(await rows(tx, sql`explain ${query}`));
  });
}

describe("an import's roll-back", () => {
  it("finds the import's battles through battles_import", async () => {
    const db = await testDb();
    expect(await plan(db, sql`delete from battles where import_id = 7`)).toMatch(/battles_import/);
  });

  it("checks a deleted prompt's battles through battles_prompt", async () => {
    const db = await testDb();
    // the query a foreign-key check on deleting a prompt runs
    expect(await plan(db, sql`select 1 from battles where prompt_id = 7`)).toMatch(
      /battles_prompt/,
    );
  });
});

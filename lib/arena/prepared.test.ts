import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { type ArenaDb, dialect } from "@/db/client";
import { models } from "@/db/schema";
import { testDb } from "@/tests/helpers/db";
import { prepared } from "./prepared";

const p = sql.placeholder;

function statements(db: ArenaDb, onBuild: () => void = () => undefined) {
  return prepared(db, "prepared.test", () => {
    onBuild();
    return {
      add: db
        .insert(models)
        .values({ slug: p("slug"), displayName: p("slug") })
        .prepare(),
      find: db
        .select({ id: models.id })
        .from(models)
        .where(eq(models.slug, p("slug")))
        .prepare(),
    };
  });
}

class Undo extends Error {}

describe("prepared statements", () => {
  it("are built once per database, not once per transaction", async () => {
    const db = await testDb();
    let builds = 0;
    const build = () => builds++;
    await statements(db, build).find.execute({ slug: "x" });
    for (let i = 0; i < 4; i++)
      await db.transaction(async (tx) => {
        await statements(tx, build).find.execute({ slug: "x" });
      });
    expect(builds).toBe(1);
  });

  it("run on the caller's connection: inside a transaction, with it", async () => {
    const db = await testDb();
    await expect(
      db.transaction(async (tx) => {
        const s = statements(tx);
        await s.add.execute({ slug: "uncommitted" });
        // the transaction sees its own write…
        expect(await s.find.execute({ slug: "uncommitted" })).toHaveLength(1);
        // …which another PostgreSQL connection (the pool's) does not see before the commit
        if (dialect(db) === "postgres")
          expect(await statements(db).find.execute({ slug: "uncommitted" })).toHaveLength(0);
        throw new Undo();
      }),
    ).rejects.toBeInstanceOf(Undo);
    // rolled back with the transaction
    expect(await statements(db).find.execute({ slug: "uncommitted" })).toHaveLength(0);
    await db.transaction(async (tx) => {
      await statements(tx).add.execute({ slug: "committed" });
    });
    expect(await statements(db).find.execute({ slug: "committed" })).toHaveLength(1);
  });
});

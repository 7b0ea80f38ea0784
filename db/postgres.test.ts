import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { emptyPostgresUrl, testServerUrl } from "@/tests/helpers/postgres";
import { type ArenaDb, closeDatabase, openDatabase } from "./client";
import { execute, rows } from "./rows";

describe.runIf(testServerUrl())("PostgreSQL", () => {
  it("is migrated once when several processes open an empty database together", async () => {
    const url = (await emptyPostgresUrl()) as string;
    const dbs = await Promise.all([1, 2, 3, 4].map(() => openDatabase(url)));
    const applied = await rows<{ n: number }>(
      dbs[0] as never,
      sql`select count(*) as n from drizzle.__drizzle_migrations`,
    );
    expect(applied[0]?.n).toBeGreaterThan(0);
    const tables = await rows<{ n: number }>(
      dbs[0] as never,
      sql`select count(*) as n from information_schema.tables where table_schema = 'public'`,
    );
    expect(tables[0]?.n).toBeGreaterThan(20);
    await Promise.all(dbs.map(closeDatabase));
  });

  it("runs again a transaction it aborted to break a deadlock, so both writers complete", async () => {
    const url = (await emptyPostgresUrl()) as string;
    const [one, two] = [await openDatabase(url), await openDatabase(url)];
    await execute(one, sql`create table pair (id int primary key, n int not null)`);
    await execute(one, sql`insert into pair values (1, 0), (2, 0)`);
    // Each locks one row, waits until the other holds its row, then asks for the other's row.
    let attempts = 0;
    const bothHold = barrier(2);
    const writer = (db: ArenaDb, first: number, second: number) =>
      db.transaction(async (tx) => {
        const attempt = ++attempts;
        await execute(tx, sql`update pair set n = n + 1 where id = ${first}`);
        if (attempt <= 2) await bothHold();
        await execute(tx, sql`update pair set n = n + 1 where id = ${second}`);
      });
    await Promise.all([writer(one, 1, 2), writer(two, 2, 1)]);
    expect(attempts).toBe(3); // one of the two was aborted, then ran again
    expect(await rows(one, sql`select id, n from pair order by id`)).toEqual([
      { id: 1, n: 2 },
      { id: 2, n: 2 },
    ]);
    await Promise.all([closeDatabase(one), closeDatabase(two)]);
  });
});

/** Resolves every caller once `n` of them have called. */
function barrier(n: number): () => Promise<void> {
  let waiting = 0;
  let open: () => void = () => {};
  const opened = new Promise<void>((r) => {
    open = r;
  });
  return () => {
    if (++waiting >= n) open();
    return opened;
  };
}

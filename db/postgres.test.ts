import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { freshPostgresUrl, testServerUrl } from "@/tests/helpers/postgres";
import { closeDatabase, openDatabase } from "./client";
import { rows } from "./rows";

describe.runIf(testServerUrl())("PostgreSQL", () => {
  it("is migrated once when several processes open an empty database together", async () => {
    const url = (await freshPostgresUrl()) as string;
    // a copy of the migrated template: empty it of its migrations first
    const bare = await openDatabase(url, { migrate: false });
    await rows(bare, sql`drop schema public cascade`);
    await rows(bare, sql`drop schema if exists drizzle cascade`);
    await rows(bare, sql`create schema public`);
    await closeDatabase(bare);
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
});

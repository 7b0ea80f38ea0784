import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { emptyPostgresUrl, testServerUrl } from "@/tests/helpers/postgres";
import { closeDatabase, openDatabase } from "./client";
import { rows } from "./rows";

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
});

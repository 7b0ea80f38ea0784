import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { type ArenaDb, closeDatabase, openDatabase } from "@/db/client";
import { rows } from "@/db/rows";
import { readTallies } from "@/lib/arena/tallies";
import { testDb } from "@/tests/helpers/db";
import { freshPostgresUrl } from "@/tests/helpers/postgres";
import { type CatalogCounts, countPrompts } from "./catalog";
import { loadDemoData, seedDemoData, seedDemoDataIfEmpty } from "./demo-data";

describe("demo data", () => {
  it("meets the promise: 8+ models, 40+ prompts across the categories, 4+ answers each", () => {
    const { models, items } = loadDemoData();
    expect(models.length).toBeGreaterThanOrEqual(8);
    expect(items.length).toBeGreaterThanOrEqual(40);
    const slugs = new Set(models.map((m) => m.slug));
    for (const item of items) {
      expect(item.responses.length, item.externalId).toBeGreaterThanOrEqual(4);
      for (const r of item.responses)
        expect(slugs.has(r.model), `${item.externalId}: ${r.model}`).toBe(true);
    }
    const tags = items.flatMap((i) => i.tags ?? []);
    for (const tag of ["math", "coding", "writing", "reasoning", "knowledge"])
      expect(tags).toContain(tag);
    expect(items.filter((i) => i.language === "zh").length).toBeGreaterThanOrEqual(3);
  });

  it("loads into an empty database once, with categories from tags and the classifier", async () => {
    const db = await testDb();
    const first = await seedDemoDataIfEmpty(db);
    expect(first?.prompts).toBeGreaterThanOrEqual(40);
    expect(await seedDemoDataIfEmpty(db)).toBeNull();
    expect(await seedDemoData(db)).toMatchObject({ prompts: 0, responses: 0, models: 0 });
    const perCategory = await rows<{ category: string; n: number }>(
      db,
      sql`select category, count(*) as n from prompt_categories group by category`,
    );
    const count = (c: string) => perCategory.find((r) => r.category === c)?.n ?? 0;
    expect(count("math")).toBeGreaterThanOrEqual(10);
    expect(count("coding")).toBeGreaterThanOrEqual(10);
    expect(count("chinese")).toBeGreaterThanOrEqual(3);
    expect(await readTallies(db)).toHaveLength(0);
  });

  it("is loaded once when several processes start on one empty database together", async () => {
    // Separate pools racing on one PostgreSQL database. Separate connections to one SQLite file
    // take turns: in one thread they cannot wait for one another's write lock (better-sqlite3
    // waits synchronously, holding the thread the holder needs to finish).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "arena-demo-"));
    const pg = await freshPostgresUrl();
    const url = pg ?? `file:${path.join(dir, "arena.db")}`;
    const processes = await Promise.all(Array.from({ length: 4 }, () => openDatabase(url)));
    try {
      const seeded: (CatalogCounts | null)[] = [];
      if (pg) seeded.push(...(await Promise.all(processes.map((db) => seedDemoDataIfEmpty(db)))));
      else for (const db of processes) seeded.push(await seedDemoDataIfEmpty(db));
      const loaded = seeded.filter((c) => c !== null);
      expect(loaded).toHaveLength(1);
      expect(await countPrompts(processes[0] as ArenaDb)).toBe(loaded[0]?.prompts);
    } finally {
      await Promise.all(processes.map((db) => closeDatabase(db)));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

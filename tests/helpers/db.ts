import { eq } from "drizzle-orm";
import { type ArenaDb, openDatabase } from "@/db/client";
import { dialectOf } from "@/db/dialect";
import { models } from "@/db/schema";
import { addPromptItems } from "@/lib/arena/catalog";
import type { PromptItem } from "@/lib/import/types";
import { freshPostgresUrl, trackTestDatabase } from "./postgres";

/**
 * A fresh, migrated, empty database: in memory on SQLite; a new database on the PostgreSQL
 * server DATABASE_URL names when the suite runs on PostgreSQL.
 */
export async function testDb(): Promise<ArenaDb> {
  const pg = await freshPostgresUrl();
  if (!pg) return openDatabase(":memory:");
  return trackTestDatabase(pg, await openDatabase(pg));
}

/**
 * A fresh database's URL, for a test that opens it more than once, as separate connections, an
 * import's worker thread or a child process do: a new SQLite file at `file`, or a new database on
 * the suite's PostgreSQL server (where each opening is a pool of its own, the stand-in for
 * another connection or process), dropped when the test file ends.
 */
export async function testDbUrl(file: string): Promise<string> {
  const pg = await freshPostgresUrl();
  if (!pg) return `file:${file}`;
  trackTestDatabase(pg);
  return pg;
}

/** Opens a testDbUrl database; on PostgreSQL closed when the test file ends, if not before. */
export async function openTestDb(url: string): Promise<ArenaDb> {
  const db = await openDatabase(url);
  return dialectOf(url) === "postgres" ? trackTestDatabase(url, db) : db;
}

/** `n` prompts, each answered by every one of `modelSlugs` unless `answeredBy` says otherwise. */
export async function seedPrompts(
  db: ArenaDb,
  n: number,
  modelSlugs: string[],
  opts: {
    answeredBy?: (i: number) => string[];
    text?: (i: number) => string;
    tags?: string[];
  } = {},
): Promise<void> {
  const items: PromptItem[] = Array.from({ length: n }, (_, i) => ({
    turns: [opts.text?.(i) ?? `Prompt number ${i}: tell me something interesting.`],
    language: "en",
    tags: opts.tags,
    responses: (opts.answeredBy?.(i) ?? modelSlugs).map((m) => ({
      model: m,
      // Never the slug itself: that would make every battle an identity leak.
      text: `Answer by model number ${modelSlugs.indexOf(m)} to prompt ${i}`,
    })),
  }));
  await addPromptItems(db, items, { source: "test" });
}

export async function modelId(db: ArenaDb, slug: string): Promise<number> {
  const [row] = await db.select({ id: models.id }).from(models).where(eq(models.slug, slug));
  if (!row) throw new Error(`no model ${slug}`);
  return row.id;
}

export { seededRng } from "./rng";

/**
 * Where a real import's rows go: every slice one short write transaction that first checks the
 * import is still this process's (and renews its heartbeat); every new row tagged with the
 * import's id, new responses and battles `pending` (see import-visibility.ts).
 */
import { eq, sql } from "drizzle-orm";
import type { ArenaDb } from "@/db/client";
import { battles, promptCategories, prompts } from "@/db/schema";
import { addResponse, ensureModels, findOrAddPrompt } from "./catalog";
import { type ImportProgress, type ImportRun, touchImport } from "./import-runs";
import type { ImportedBattle, ImportStore } from "./import-writer";
import { prepared } from "./prepared";

const p = sql.placeholder;

function statements(db: ArenaDb) {
  return prepared(db, "import-store-live", () => ({
    insertBattle: db
      .insert(battles)
      .values({
        id: p("id"),
        promptId: p("promptId"),
        modelAId: p("modelAId"),
        modelBId: p("modelBId"),
        voterId: p("voterId"),
        createdAt: sql`${p("at")}`,
        votedAt: sql`${p("at")}`,
        winner: sql`${p("winner")}`,
        source: "import",
        identityLeak: sql`${p("identityLeak")}`,
        excluded: sql`${p("excluded")}`,
        importId: p("importId"),
        pending: true,
      })
      .onConflictDoNothing()
      .prepare(),
    categoriesOf: db
      .select({ category: promptCategories.category })
      .from(promptCategories)
      .where(eq(promptCategories.promptId, p("promptId")))
      .prepare(),
  }));
}

export class LiveStore implements ImportStore {
  private readonly s: ReturnType<typeof statements>;

  constructor(
    private readonly db: ArenaDb,
    private readonly run: ImportRun,
    private readonly source: string,
  ) {
    this.s = statements(db);
  }

  slice<T>(progress: ImportProgress, work: () => T): T {
    return this.db.transaction(
      () => {
        touchImport(this.db, this.run, progress);
        return work();
      },
      { behavior: "immediate" },
    );
  }

  models(slugs: string[]) {
    return ensureModels(
      this.db,
      slugs.map((slug) => ({ slug })),
      { importId: this.run.id },
    );
  }

  prompt(item: Parameters<ImportStore["prompt"]>[0]) {
    return findOrAddPrompt(this.db, item, { source: this.source, importId: this.run.id });
  }

  response(promptId: number, modelId: number, text: string): boolean {
    return addResponse(
      this.db,
      { promptId, modelId, text },
      { importId: this.run.id, pending: true },
    );
  }

  placeholder(text: string, categories: string[]): number {
    const { id, created } = findOrAddPrompt(
      this.db,
      { turns: [text], language: "und", tags: categories },
      { source: "import-votes", importId: this.run.id },
    );
    if (created) {
      // Placeholders carry exactly the file's categories, not the classifier's reading of the label.
      this.db.update(prompts).set({ disabled: true }).where(eq(prompts.id, id)).run();
      this.db.delete(promptCategories).where(eq(promptCategories.promptId, id)).run();
      for (const category of categories)
        this.db.insert(promptCategories).values({ promptId: id, category }).run();
    }
    return id;
  }

  battle(b: ImportedBattle): boolean {
    return (
      this.s.insertBattle.run({
        ...b,
        identityLeak: b.identityLeak ? 1 : 0,
        excluded: b.excluded ? 1 : 0,
        importId: this.run.id,
      }).changes === 1
    );
  }

  categoriesOf(promptId: number): string[] {
    return this.s.categoriesOf.all({ promptId }).map((r) => r.category);
  }
}

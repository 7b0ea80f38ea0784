/**
 * Where a real import's rows go: every slice one short write transaction that first checks the
 * import is still this process's (and renews its heartbeat); every new row tagged with the
 * import's id, new responses and battles `pending` (see import-visibility.ts).
 */
import { eq, sql } from "drizzle-orm";
import type { ArenaDb } from "@/db/client";
import { battles, promptCategories, prompts } from "@/db/schema";
import { addResponse, ensureModels, findOrAddPrompt, PLACEHOLDER_SOURCE } from "./catalog";
import { type ImportProgress, type ImportRun, touchImport } from "./import-runs";
import type { ImportedBattle, ImportStore } from "./import-writer";
import { prepared } from "./prepared";

const p = sql.placeholder;

function statements(db: ArenaDb) {
  return prepared(db, "import-store-live", () => ({
    categoriesOf: db
      .select({ category: promptCategories.category })
      .from(promptCategories)
      .where(eq(promptCategories.promptId, p("promptId")))
      .prepare(),
  }));
}

export class LiveStore implements ImportStore {
  /** The slice's transaction: every write of a slice goes through it. */
  private tx: ArenaDb | undefined;

  constructor(
    private readonly db: ArenaDb,
    private readonly run: ImportRun,
    private readonly source: string,
  ) {}

  private get q(): ArenaDb {
    if (!this.tx) throw new Error("an import's write outside its slice's transaction");
    return this.tx;
  }

  slice<T>(progress: ImportProgress, work: () => Promise<T>): Promise<T> {
    return this.db.transaction(
      async (tx) => {
        await touchImport(tx, this.run, progress);
        this.tx = tx;
        try {
          return await work();
        } finally {
          this.tx = undefined;
        }
      },
      { behavior: "immediate" },
    );
  }

  async models(slugs: string[]) {
    return await ensureModels(
      this.q,
      slugs.map((slug) => ({ slug })),
      { importId: this.run.id },
    );
  }

  async prompt(item: Parameters<ImportStore["prompt"]>[0]) {
    return await findOrAddPrompt(this.q, item, { source: this.source, importId: this.run.id });
  }

  async response(promptId: number, modelId: number, text: string): Promise<boolean> {
    return await addResponse(
      this.q,
      { promptId, modelId, text },
      { importId: this.run.id, pending: true },
    );
  }

  async placeholder(text: string, categories: string[]): Promise<number> {
    const tx = this.q;
    const { id, created } = await findOrAddPrompt(
      tx,
      { turns: [text], language: "und", tags: categories },
      { source: PLACEHOLDER_SOURCE, importId: this.run.id },
    );
    if (created) {
      // Placeholders carry exactly the file's categories, not the classifier's reading of the label.
      await tx.update(prompts).set({ disabled: true }).where(eq(prompts.id, id));
      await tx.delete(promptCategories).where(eq(promptCategories.promptId, id));
      for (const category of categories)
        await tx.insert(promptCategories).values({ promptId: id, category });
    }
    return id;
  }

  async battles(bs: ImportedBattle[]): Promise<Set<string>> {
    if (bs.length === 0) return new Set();
    const written = await this.q
      .insert(battles)
      .values(
        bs.map((b) => ({
          id: b.id,
          promptId: b.promptId,
          modelAId: b.modelAId,
          modelBId: b.modelBId,
          voterId: b.voterId,
          createdAt: new Date(b.at),
          votedAt: new Date(b.at),
          winner: b.winner,
          source: "import" as const,
          identityLeak: b.identityLeak,
          excluded: b.excluded,
          importId: this.run.id,
          pending: true,
        })),
      )
      .onConflictDoNothing()
      .returning({ id: battles.id });
    return new Set(written.map((r) => r.id));
  }

  async categoriesOf(promptId: number): Promise<string[]> {
    const rows = await statements(this.q).categoriesOf.execute({ promptId });
    return rows.map((r) => r.category);
  }
}

/**
 * A dry run's store: it writes nothing and holds no write lock. It looks up what already exists
 * (each slice one read transaction, none across a yield) and remembers, in memory, what the
 * import would have added before — new prompts under ids of their own below zero — so the
 * writer makes the same decisions, and reports the same counts, as it would for real.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import type { ArenaDb } from "@/db/client";
import { battles, models, prompts, responses } from "@/db/schema";
import { promptKey } from "./catalog";
import type { ImportProgress } from "./import-runs";
import type { ImportedBattle, ImportStore } from "./import-writer";
import { prepared } from "./prepared";

const p = sql.placeholder;

function statements(db: ArenaDb) {
  return prepared(db, "import-store-dry", () => ({
    promptByHash: db
      .select({ id: prompts.id })
      .from(prompts)
      .where(eq(prompts.contentHash, p("hash")))
      .prepare(),
    response: db
      .select({ id: responses.id })
      .from(responses)
      .where(and(eq(responses.promptId, p("promptId")), eq(responses.modelId, p("modelId"))))
      .prepare(),
  }));
}

export class DryStore implements ImportStore {
  private nextId = -1;
  private readonly newPrompts = new Map<string, number>();
  private readonly newResponses = new Set<string>();
  /** The slice's transaction: every read of a slice goes through it. */
  private tx: ArenaDb | undefined;

  constructor(private readonly db: ArenaDb) {}

  private get q(): ArenaDb {
    if (!this.tx) throw new Error("a dry run's read outside its slice's transaction");
    return this.tx;
  }

  slice<T>(_progress: ImportProgress, work: () => Promise<T>): Promise<T> {
    // a read transaction: one consistent snapshot per slice (on SQLite), no write lock
    return this.db.transaction(
      async (tx) => {
        this.tx = tx;
        try {
          return await work();
        } finally {
          this.tx = undefined;
        }
      },
      { behavior: "deferred" },
    );
  }

  async models(slugs: string[]) {
    const ids = new Map<string, number>();
    for (const r of await this.q
      .select({ id: models.id, slug: models.slug })
      .from(models)
      .where(inArray(models.slug, slugs)))
      ids.set(r.slug, r.id);
    let created = 0;
    for (const slug of slugs) {
      if (ids.has(slug)) continue;
      ids.set(slug, this.nextId--);
      created++;
    }
    return { ids, created };
  }

  async prompt(item: Parameters<ImportStore["prompt"]>[0]) {
    const { hash } = promptKey(item);
    const [found] = await statements(this.q).promptByHash.execute({ hash });
    const existing = found?.id ?? this.newPrompts.get(hash);
    if (existing !== undefined) return { id: existing, created: false };
    const id = this.nextId--;
    this.newPrompts.set(hash, id);
    return { id, created: true };
  }

  async response(promptId: number, modelId: number): Promise<boolean> {
    const key = `${promptId}:${modelId}`;
    if (this.newResponses.has(key)) return false;
    // a prompt or model that would be new has no responses in the database yet
    if (
      promptId > 0 &&
      modelId > 0 &&
      (await statements(this.q).response.execute({ promptId, modelId })).length > 0
    )
      return false;
    this.newResponses.add(key);
    return true;
  }

  async placeholder(text: string): Promise<number> {
    return (await this.prompt({ turns: [text] })).id;
  }

  async battles(bs: ImportedBattle[]): Promise<Set<string>> {
    // No memory of the file's own ids is needed: the parser gives every vote of a file its own
    // key (lib/import/types.ts), and a Set of a million would stall the loop as it grows.
    const ids = bs.map((b) => b.id);
    const found = new Set<string>();
    for (const r of await this.q
      .select({ id: battles.id })
      .from(battles)
      .where(inArray(battles.id, ids)))
      found.add(r.id);
    return new Set(ids.filter((id) => !found.has(id)));
  }

  async categoriesOf(): Promise<string[]> {
    return []; // a dry run adds nothing to the tallies
  }
}

import { asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { ArenaDb } from "@/db/client";
import { changes } from "@/db/rows";
import { battles, models, responses } from "@/db/schema";
import { ArenaError } from "@/lib/errors";
import { optionalHttpLink } from "@/lib/render/external-link";
import { countedBattle } from "./import-visibility";
import { noteStaleVerdict } from "./leak-verdicts";

export interface ModelRow {
  id: number;
  slug: string;
  displayName: string;
  organization: string;
  license: string;
  link: string | null;
  hidden: boolean;
  deprecated: boolean;
  responses: number;
  votes: number;
}

export async function listModels(db: ArenaDb): Promise<ModelRow[]> {
  const responseCounts = db
    .select({ modelId: responses.modelId, n: sql<number>`count(*)`.as("n") })
    .from(responses)
    .groupBy(responses.modelId)
    .as("rc");
  const rows = await db
    .select({
      id: models.id,
      slug: models.slug,
      displayName: models.displayName,
      organization: models.organization,
      license: models.license,
      link: models.link,
      hidden: models.hidden,
      deprecated: models.deprecated,
      responses: sql<number>`coalesce(${responseCounts.n}, 0)`,
    })
    .from(models)
    .leftJoin(responseCounts, eq(responseCounts.modelId, models.id))
    .orderBy(asc(models.displayName));
  const votes = new Map<number, number>();
  for (const side of [battles.modelAId, battles.modelBId]) {
    for (const r of await db
      .select({ id: side, n: sql<number>`count(*)` })
      .from(battles)
      .where(sql`${battles.winner} is not null and ${countedBattle}`)
      .groupBy(side)) {
      votes.set(r.id, (votes.get(r.id) ?? 0) + r.n);
    }
  }
  return rows.map((r) => ({ ...r, votes: votes.get(r.id) ?? 0 }));
}

export const modelPatchSchema = z.object({
  displayName: z.string().trim().min(1, "Display name is required").max(100),
  organization: z.string().trim().max(100),
  license: z.string().trim().max(100),
  // only http(s): a `javascript:` link would run in the browser of whoever follows it
  link: optionalHttpLink(),
  hidden: z.boolean(),
  deprecated: z.boolean(),
});

export type ModelPatch = z.infer<typeof modelPatchSchema>;

export async function updateModel(db: ArenaDb, id: number, patch: ModelPatch): Promise<void> {
  const written = changes(await db.update(models).set(patch).where(eq(models.id, id)));
  if (written === 0) throw new ArenaError("not_found", `No model with id ${id}.`);
  // A new name or organization is a new identity word: the stored verdicts are decided again.
  await noteStaleVerdict(db);
}

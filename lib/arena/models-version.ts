import { eq } from "drizzle-orm";
import type { ArenaDb } from "@/db/client";
import { counters } from "@/db/schema";
import { prepared } from "./prepared";

/**
 * A number that changes whenever any model is added, changed or removed, by any code path or
 * process (triggers on `models`, in the migration): what a process derives from the models (the
 * identity-leak word list, the visible set) is rebuilt when it moves, and read from memory
 * otherwise, at the cost of one primary-key read.
 */
export async function modelsVersion(db: ArenaDb): Promise<number> {
  const read = prepared(db, "models-version", () =>
    db
      .select({ value: counters.value })
      .from(counters)
      .where(eq(counters.name, "models"))
      .prepare(),
  );
  return (await read.execute())[0]?.value ?? 0;
}

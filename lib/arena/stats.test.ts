import { describe, expect, it } from "vitest";
import type { ArenaDb } from "@/db/client";
import { parseImport } from "@/lib/import/parse";
import { testDb } from "@/tests/helpers/db";
import { arenaWithVotes, battlesFile } from "@/tests/helpers/import-fixture";
import { writeImport } from "./imports";
import { dashboardStats } from "./stats";

async function importFile(db: ArenaDb, text: string, fileName: string) {
  const parsed = await parseImport(text, { votes: true, fileName });
  return writeImport(db, parsed, { source: fileName, fileName, userEmail: "a@b.c" });
}

describe("the dashboard's last import", () => {
  it("is the newest import that added something, in figures; one that added nothing is said so", async () => {
    const db = await arenaWithVotes(await testDb(), 4);
    expect(await dashboardStats(db)).toMatchObject({ lastImport: null, latestImport: null });

    await importFile(db, battlesFile(6), "first.jsonl");
    const first = await dashboardStats(db);
    expect(first.lastImport).toMatchObject({
      fileName: "first.jsonl",
      format: "battles",
      status: "done",
      userEmail: "a@b.c",
      records: 6,
      added: { prompts: 3, models: 1, votes: 6 },
      error: null,
    });
    expect(first.latestImport).toBeNull();

    // the same file again adds nothing: the last import stays the first one
    await importFile(db, battlesFile(6), "again.jsonl");
    const again = await dashboardStats(db);
    expect(again.lastImport?.fileName).toBe("first.jsonl");
    expect(again.latestImport).toMatchObject({
      fileName: "again.jsonl",
      added: { prompts: 0, responses: 0, models: 0, votes: 0 },
      skipped: 6,
    });
  });
});

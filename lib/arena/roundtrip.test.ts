import { describe, expect, it } from "vitest";
import { exportBattles } from "@/lib/arena/export/battles";
import { parseImport } from "@/lib/import/parse";
import { seededRng, seedPrompts, testDb } from "@/tests/helpers/db";
import { castVote, createBattle } from "./battles";
import { writeImport } from "./imports";
import { getLeaderboard } from "./leaderboard";
import { setVoterExcluded } from "./voter-review";

const SETTINGS = { minVotes: 0, bootstrapRounds: 200, maxStalenessMs: 0 };

describe("export and re-import", () => {
  it("gives the same leaderboard, overall and per category", async () => {
    const source = await testDb();
    await seedPrompts(source, 30, ["m1", "m2", "m3", "m4"], {
      text: (i) => (i % 3 === 0 ? `Solve ${i}x + 1 = 7` : `Write about topic ${i}`),
      tags: ["demo"],
    });
    const rng = seededRng(8);
    for (let i = 0; i < 400; i++) {
      const voterId = `voter-${i % 9}-aaaaaaaaaaaaaaaa`;
      const b = await createBattle(source, voterId, { rng });
      await castVote(source, {
        battleId: b.id,
        voterId,
        winner: (["a", "b", "tie", "bothbad", "a"] as const)[i % 5] ?? "a",
        ttlMs: 3_600_000,
      });
    }
    await setVoterExcluded(source, "voter-3-aaaaaaaaaaaaaaaa", true);

    let file = "";
    for await (const chunk of exportBattles(source, "fastchat")) file += chunk;
    const target = await testDb();
    const summary = await writeImport(target, await parseImport(file, { votes: true }), {
      source: "roundtrip",
    });
    expect(summary.imported.votes).toBe(400);

    for (const category of ["overall", "math", "demo", "english"]) {
      const a = await getLeaderboard(source, { category }, SETTINGS);
      const b = await getLeaderboard(target, { category }, SETTINGS);
      expect(b.totalVotes, category).toBe(a.totalVotes);
      expect(
        b.rows.map((r) => [r.model, r.votes, r.rating.toFixed(6)]),
        category,
      ).toEqual(a.rows.map((r) => [r.model, r.votes, r.rating.toFixed(6)]));
    }
  });
});

import { describe, expect, it } from "vitest";
import { parseModelInfos } from "@/lib/import/prompt-set";
import { seededRng, seedPrompts, testDb } from "@/tests/helpers/db";
import { castVote, createBattle } from "./battles";
import { getLeaderboard } from "./leaderboard";
import { modelProfile } from "./model-profile";
import { listModels, modelPatchSchema, updateModel } from "./models";
import { allCategories, listPrompts, setPromptCategories, setPromptDisabled } from "./prompts";
import { readTallies, talliesFromBattles } from "./tallies";
import { recentVotes, setVoterExcluded, voterSummaries } from "./voter-review";

const HOUR = 3_600_000;
const total = (rows: { winsA: number; winsB: number; ties: number; bothBad: number }[]) =>
  rows.reduce((s, t) => s + t.winsA + t.winsB + t.ties + t.bothBad, 0);

function votedDb() {
  const db = testDb();
  seedPrompts(db, 10, ["m1", "m2", "m3"], { text: (i) => `Question ${i}: what is ${i} + ${i}?` });
  const rng = seededRng(3);
  for (let i = 0; i < 30; i++) {
    const voterId = `voter-${i % 3}-aaaaaaaaaaaaaaaa`;
    const { id } = createBattle(db, voterId, { rng });
    castVote(db, { battleId: id, voterId, winner: i % 2 ? "a" : "b", ttlMs: HOUR });
  }
  return db;
}

describe("models", () => {
  it("lists models with their responses and votes, and edits them", () => {
    const db = votedDb();
    const rows = listModels(db);
    expect(rows.map((r) => r.slug).sort()).toEqual(["m1", "m2", "m3"]);
    expect(rows.reduce((s, r) => s + r.votes, 0)).toBe(60);
    const m1 = rows.find((r) => r.slug === "m1");
    if (!m1) throw new Error("m1 missing");
    updateModel(db, m1.id, {
      displayName: "Model One",
      organization: "Org",
      license: "MIT",
      link: null,
      hidden: true,
      deprecated: false,
    });
    expect(listModels(db).find((r) => r.id === m1.id)).toMatchObject({
      displayName: "Model One",
      hidden: true,
    });
    expect(() =>
      updateModel(db, 999, {
        displayName: "x",
        organization: "",
        license: "",
        link: null,
        hidden: false,
        deprecated: false,
      }),
    ).toThrow(expect.objectContaining({ code: "not_found" }));
  });

  it("takes only http(s) links, and never hands out another kind stored before", async () => {
    const form = {
      displayName: "M",
      organization: "",
      license: "",
      hidden: false,
      deprecated: false,
    };
    for (const link of ["javascript:alert(1)", "data:text/html,<script>1</script>", "vbscript:x"]) {
      const r = modelPatchSchema.safeParse({ ...form, link });
      expect(r.success, link).toBe(false);
      expect(r.error?.issues[0]?.message).toBe("Link must be an http:// or https:// URL");
    }
    expect(modelPatchSchema.parse({ ...form, link: "" }).link).toBeNull();
    expect(modelPatchSchema.parse({ ...form, link: " https://example.com/m " }).link).toBe(
      "https://example.com/m",
    );
    expect(() =>
      parseModelInfos([{ slug: "m", displayName: "M", link: "javascript:alert(1)" }]),
    ).toThrow();

    const db = votedDb();
    // a link written before the check existed, straight into the table
    db.$client.prepare("update models set link = 'javascript:alert(1)' where slug = 'm1'").run();
    const settings = { minVotes: 0, bootstrapRounds: 20, maxStalenessMs: 0 };
    expect(
      getLeaderboard(db, { category: "overall" }, settings).rows.find((r) => r.model === "m1")
        ?.link,
    ).toBeNull();
    expect((await modelProfile(db, "m1", settings))?.link).toBeNull();
  });
});

describe("prompts", () => {
  it("searches, filters and pages", () => {
    const db = votedDb();
    expect(listPrompts(db, { q: "Question 3" }).total).toBe(1);
    expect(listPrompts(db, { category: "math" }).total).toBe(10);
    const page = listPrompts(db, { pageSize: 4, page: 3 });
    expect(page.total).toBe(10);
    expect(page.rows).toHaveLength(2);
    expect(page.rows[0]?.categories).toContain("english");
    // Every prompt was answered by all three models.
    expect(listPrompts(db, {}).rows.map((r) => r.responses)).toEqual(Array(10).fill(3));
    // a page number no list has is the caller's mistake, not a failed query
    for (const bad of [1e308, Number.POSITIVE_INFINITY, 2.5])
      expect(() => listPrompts(db, { page: bad }), String(bad)).toThrow(
        expect.objectContaining({ code: "invalid_request" }),
      );
  });

  it("searches for %, _ and \\ literally", () => {
    const db = testDb();
    const texts = [
      "Revenue grew 50% last year",
      "Revenue grew 50 percent last year",
      "Revenue grew 500 units",
      "snake_case names",
      "snakeXcase names",
      "a path C:\\temp\\x",
      "a path C:/temp/x",
    ];
    seedPrompts(db, texts.length, ["m1", "m2"], { text: (i) => texts[i] ?? "" });
    const found = (q: string) =>
      listPrompts(db, { q })
        .rows.map((r) => r.text)
        .sort();
    expect(found("50%")).toEqual(["Revenue grew 50% last year"]);
    expect(found("50% last")).toEqual(["Revenue grew 50% last year"]);
    expect(found("grew 50")).toHaveLength(3);
    expect(found("snake_case")).toEqual(["snake_case names"]);
    expect(found("_")).toEqual(["snake_case names"]);
    expect(found("C:\\temp")).toEqual(["a path C:\\temp\\x"]);
    expect(found("%")).toEqual(["Revenue grew 50% last year"]);
    expect(found("50%_")).toEqual([]);
    expect(listPrompts(db, { q: "REVENUE GREW 50%" }).total).toBe(1);
  });

  it("re-categorises a prompt and moves its votes with it", () => {
    const db = votedDb();
    const before = total(readTallies(db, "math"));
    expect(before).toBe(30);
    const promptId = listPrompts(db, {}).rows[0]?.id as number;
    const votesOnIt = (
      db.$client
        .prepare("select count(*) n from battles where prompt_id = ? and winner is not null")
        .get(promptId) as {
        n: number;
      }
    ).n;
    expect(votesOnIt).toBeGreaterThan(0);
    expect(setPromptCategories(db, promptId, ["Hard Prompts", "overall", "english"])).toEqual([
      "english",
      "hard-prompts",
    ]);
    expect(total(readTallies(db, "math"))).toBe(30 - votesOnIt);
    expect(total(readTallies(db, "hard-prompts"))).toBe(votesOnIt);
    expect(allCategories(db).find((c) => c.category === "hard-prompts")?.prompts).toBe(1);
    // Moved incrementally, yet exactly what a recompute from the battles gives.
    const nonZero = (rows: ReturnType<typeof readTallies>) =>
      rows
        .filter((r) => r.winsA + r.winsB + r.ties + r.bothBad > 0)
        .map((r) => JSON.stringify(r))
        .sort();
    expect(nonZero(readTallies(db))).toEqual(nonZero(talliesFromBattles(db)));
  });

  it("changes a prompt's categories and its tallies together or not at all", () => {
    const db = votedDb();
    const promptId = listPrompts(db, {}).rows[0]?.id as number;
    const categoriesBefore = listPrompts(db, {}).rows[0]?.categories;
    db.$client.exec(
      "CREATE TRIGGER fail_tallies BEFORE UPDATE ON tallies BEGIN SELECT RAISE(ABORT, 'disk full'); END",
    );
    expect(() => setPromptCategories(db, promptId, ["geometry"])).toThrow(/disk full/);
    expect(listPrompts(db, {}).rows[0]?.categories).toEqual(categoriesBefore);
  });

  it("disabled prompts are not drawn again", () => {
    const db = testDb();
    seedPrompts(db, 2, ["m1", "m2"]);
    const [first] = listPrompts(db, {}).rows;
    setPromptDisabled(db, first?.id as number, true);
    for (let i = 0; i < 10; i++)
      expect(createBattle(db, `v-${i}-bbbbbbbbbbbbbbbb`).prompt).not.toBe(first?.text);
  });
});

describe("voters", () => {
  it("excluding a voter drops their votes from every tally, and including restores them", () => {
    const db = votedDb();
    const summaries = voterSummaries(db);
    expect(summaries).toHaveLength(3);
    expect(summaries[0]?.leftShare).not.toBeNull();
    const target = "voter-0-aaaaaaaaaaaaaaaa";
    expect(setVoterExcluded(db, target, true).votes).toBe(10);
    expect(total(readTallies(db, "overall"))).toBe(20);
    expect(voterSummaries(db).find((v) => v.voterId === target)?.excluded).toBe(true);
    // Their next vote is recorded but not counted.
    const { id } = createBattle(db, target);
    castVote(db, { battleId: id, voterId: target, winner: "a", ttlMs: HOUR });
    expect(total(readTallies(db, "overall"))).toBe(20);
    setVoterExcluded(db, target, false);
    expect(total(readTallies(db, "overall"))).toBe(31);
    expect(recentVotes(db, { voterId: target })).toHaveLength(11);
  });
});

describe("positionBias", () => {
  it("reports the left side's share of decisive votes", async () => {
    const { positionBias } = await import("./stats");
    const db = votedDb();
    // votedDb alternates a and b: 15 each.
    expect(positionBias(db)).toEqual({ left: 15, right: 15, ties: 0, bothBad: 0, leftShare: 0.5 });
    expect(positionBias(testDb()).leftShare).toBeNull();
  });
});

import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { type ArenaDb, dialect } from "@/db/client";
import { execute, rows } from "@/db/rows";
import { parseModelInfos } from "@/lib/import/prompt-set";
import { seededRng, seedPrompts, testDb } from "@/tests/helpers/db";
import { castVote, createBattle } from "./battles";
import { getLeaderboard } from "./leaderboard";
import { modelProfile } from "./model-profile";
import { listModels, modelPatchSchema, updateModel } from "./models";
import { allCategories, listPrompts, setPromptCategories, setPromptDisabled } from "./prompts";
import { readTallies, type TallyRow, talliesFromBattles } from "./tallies";
import { recentVotes, setVoterExcluded, voterSummaries } from "./voter-review";

const HOUR = 3_600_000;
const total = (tallyRows: { winsA: number; winsB: number; ties: number; bothBad: number }[]) =>
  tallyRows.reduce((s, t) => s + t.winsA + t.winsB + t.ties + t.bothBad, 0);

/** Every update of the tallies fails with `message` from now on, as a full disk would fail it. */
async function failTallyUpdates(db: ArenaDb, message: string): Promise<void> {
  if (dialect(db) === "sqlite") {
    await execute(
      db,
      sql.raw(
        `CREATE TRIGGER fail_tallies BEFORE UPDATE ON tallies BEGIN SELECT RAISE(ABORT, '${message}'); END`,
      ),
    );
    return;
  }
  await execute(
    db,
    sql.raw(
      `CREATE FUNCTION fail_tallies() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '${message}'; END $$`,
    ),
  );
  await execute(
    db,
    sql.raw(
      "CREATE TRIGGER fail_tallies BEFORE UPDATE ON tallies FOR EACH ROW EXECUTE FUNCTION fail_tallies()",
    ),
  );
}

/** An error's message and those of its causes: drizzle wraps PostgreSQL's in "Failed query: …". */
function withCauses(e: unknown): string {
  const messages: string[] = [];
  for (let c = e; c instanceof Error; c = c.cause) messages.push(c.message);
  return messages.join("\n");
}

async function votedDb() {
  const db = await testDb();
  await seedPrompts(db, 10, ["m1", "m2", "m3"], {
    text: (i) => `Question ${i}: what is ${i} + ${i}?`,
  });
  const rng = seededRng(3);
  for (let i = 0; i < 30; i++) {
    const voterId = `voter-${i % 3}-aaaaaaaaaaaaaaaa`;
    const { id } = await createBattle(db, voterId, { rng });
    await castVote(db, { battleId: id, voterId, winner: i % 2 ? "a" : "b", ttlMs: HOUR });
  }
  return db;
}

describe("models", () => {
  it("lists models with their responses and votes, and edits them", async () => {
    const db = await votedDb();
    const rows = await listModels(db);
    expect(rows.map((r) => r.slug).sort()).toEqual(["m1", "m2", "m3"]);
    expect(rows.reduce((s, r) => s + r.votes, 0)).toBe(60);
    const m1 = rows.find((r) => r.slug === "m1");
    if (!m1) throw new Error("m1 missing");
    await updateModel(db, m1.id, {
      displayName: "Model One",
      organization: "Org",
      license: "MIT",
      link: null,
      hidden: true,
      deprecated: false,
    });
    expect((await listModels(db)).find((r) => r.id === m1.id)).toMatchObject({
      displayName: "Model One",
      hidden: true,
    });
    (
      await expect(
        updateModel(db, 999, {
          displayName: "x",
          organization: "",
          license: "",
          link: null,
          hidden: false,
          deprecated: false,
        }),
      )
    ).rejects.toThrow(expect.objectContaining({ code: "not_found" }));
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

    const db = await votedDb();
    // a link written before the check existed, straight into the table
    await execute(db, sql`update models set link = 'javascript:alert(1)' where slug = 'm1'`);
    const settings = { minVotes: 0, bootstrapRounds: 20, maxStalenessMs: 0 };
    expect(
      (await getLeaderboard(db, { category: "overall" }, settings)).rows.find(
        (r) => r.model === "m1",
      )?.link,
    ).toBeNull();
    expect((await modelProfile(db, "m1", settings))?.link).toBeNull();
  });
});

describe("prompts", () => {
  it("searches, filters and pages", async () => {
    const db = await votedDb();
    expect((await listPrompts(db, { q: "Question 3" })).total).toBe(1);
    expect((await listPrompts(db, { category: "math" })).total).toBe(10);
    const page = await listPrompts(db, { pageSize: 4, page: 3 });
    expect(page.total).toBe(10);
    expect(page.rows).toHaveLength(2);
    expect(page.rows[0]?.categories).toContain("english");
    // Every prompt was answered by all three models.
    expect((await listPrompts(db, {})).rows.map((r) => r.responses)).toEqual(Array(10).fill(3));
    // a page number no list has is the caller's mistake, not a failed query
    for (const bad of [1e308, Number.POSITIVE_INFINITY, 2.5])
      await expect(listPrompts(db, { page: bad }), String(bad)).rejects.toThrow(
        expect.objectContaining({ code: "invalid_request" }),
      );
  });

  it("searches for %, _ and \\ literally", async () => {
    const db = await testDb();
    const texts = [
      "Revenue grew 50% last year",
      "Revenue grew 50 percent last year",
      "Revenue grew 500 units",
      "snake_case names",
      "snakeXcase names",
      "a path C:\\temp\\x",
      "a path C:/temp/x",
    ];
    await seedPrompts(db, texts.length, ["m1", "m2"], { text: (i) => texts[i] ?? "" });
    const found = async (q: string) =>
      (await listPrompts(db, { q })).rows.map((r) => r.text).sort();
    expect(await found("50%")).toEqual(["Revenue grew 50% last year"]);
    expect(await found("50% last")).toEqual(["Revenue grew 50% last year"]);
    expect(await found("grew 50")).toHaveLength(3);
    expect(await found("snake_case")).toEqual(["snake_case names"]);
    expect(await found("_")).toEqual(["snake_case names"]);
    expect(await found("C:\\temp")).toEqual(["a path C:\\temp\\x"]);
    expect(await found("%")).toEqual(["Revenue grew 50% last year"]);
    expect(await found("50%_")).toEqual([]);
    expect((await listPrompts(db, { q: "REVENUE GREW 50%" })).total).toBe(1);
  });

  it("re-categorises a prompt and moves its votes with it", async () => {
    const db = await votedDb();
    const before = total(await readTallies(db, "math"));
    expect(before).toBe(30);
    const promptId = (await listPrompts(db, {})).rows[0]?.id as number;
    const votesOnIt = (
      (
        await rows<{ n: number }>(
          db,
          sql`select count(*) as n from battles where prompt_id = ${promptId} and winner is not null`,
        )
      )[0] as { n: number }
    ).n;
    expect(votesOnIt).toBeGreaterThan(0);
    expect(await setPromptCategories(db, promptId, ["Hard Prompts", "overall", "english"])).toEqual(
      ["english", "hard-prompts"],
    );
    expect(total(await readTallies(db, "math"))).toBe(30 - votesOnIt);
    expect(total(await readTallies(db, "hard-prompts"))).toBe(votesOnIt);
    expect((await allCategories(db)).find((c) => c.category === "hard-prompts")?.prompts).toBe(1);
    // Moved incrementally, yet exactly what a recompute from the battles gives.
    const nonZero = (tallyRows: TallyRow[]) =>
      tallyRows
        .filter((r) => r.winsA + r.winsB + r.ties + r.bothBad > 0)
        .map((r) => JSON.stringify(r))
        .sort();
    expect(nonZero(await readTallies(db))).toEqual(nonZero(await talliesFromBattles(db)));
  });

  it("changes a prompt's categories and its tallies together or not at all", async () => {
    const db = await votedDb();
    const promptId = (await listPrompts(db, {})).rows[0]?.id as number;
    const categoriesBefore = (await listPrompts(db, {})).rows[0]?.categories;
    await failTallyUpdates(db, "disk full");
    let failure: unknown;
    try {
      await setPromptCategories(db, promptId, ["geometry"]);
    } catch (e) {
      failure = e;
    }
    expect(withCauses(failure)).toMatch(/disk full/);
    expect((await listPrompts(db, {})).rows[0]?.categories).toEqual(categoriesBefore);
  });

  it("disabled prompts are not drawn again", async () => {
    const db = await testDb();
    await seedPrompts(db, 2, ["m1", "m2"]);
    const [first] = (await listPrompts(db, {})).rows;
    await setPromptDisabled(db, first?.id as number, true);
    for (let i = 0; i < 10; i++)
      expect((await createBattle(db, `v-${i}-bbbbbbbbbbbbbbbb`)).prompt).not.toBe(first?.text);
  });
});

describe("voters", () => {
  it("excluding a voter drops their votes from every tally, and including restores them", async () => {
    const db = await votedDb();
    const summaries = await voterSummaries(db);
    expect(summaries).toHaveLength(3);
    expect(summaries[0]?.leftShare).not.toBeNull();
    const target = "voter-0-aaaaaaaaaaaaaaaa";
    expect((await setVoterExcluded(db, target, true)).votes).toBe(10);
    expect(total(await readTallies(db, "overall"))).toBe(20);
    expect((await voterSummaries(db)).find((v) => v.voterId === target)?.excluded).toBe(true);
    // Their next vote is recorded but not counted.
    const { id } = await createBattle(db, target);
    await castVote(db, { battleId: id, voterId: target, winner: "a", ttlMs: HOUR });
    expect(total(await readTallies(db, "overall"))).toBe(20);
    await setVoterExcluded(db, target, false);
    expect(total(await readTallies(db, "overall"))).toBe(31);
    expect(await recentVotes(db, { voterId: target })).toHaveLength(11);
  });
});

describe("positionBias", () => {
  it("reports the left side's share of decisive votes", async () => {
    const { positionBias } = await import("./stats");
    const db = await votedDb();
    // votedDb alternates a and b: 15 each.
    expect(await positionBias(db)).toEqual({
      left: 15,
      right: 15,
      ties: 0,
      bothBad: 0,
      leftShare: 0.5,
    });
    expect((await positionBias(await testDb())).leftShare).toBeNull();
  });
});

import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { ArenaDb } from "@/db/client";
import { execute, first, rows } from "@/db/rows";
import { battles, prompts, responses } from "@/db/schema";
import { seededRng, seedPrompts, testDb } from "@/tests/helpers/db";
import { createBattle } from "./battles";
import { addPromptItems } from "./catalog";
import { currentWordList, decideLeakVerdicts, startLeakVerdicts } from "./leak-verdicts";
import { updateModel } from "./models";

interface StoredResponse {
  id: number;
  text: string;
  words: string | null;
  list: string | null;
}

async function responseOf(db: ArenaDb, modelSlug: string): Promise<StoredResponse> {
  const [row] = await rows<StoredResponse>(
    db,
    sql`select r.id, r.text, r.leak_words words, r.leak_list list from responses r join models m on m.id = r.model_id where m.slug = ${modelSlug}`,
  );
  if (!row) throw new Error(`no response by ${modelSlug}`);
  return row;
}

/** One prompt answered by m1 (which names "Zephyrine") and m2 (clean). */
async function seeded(): Promise<ArenaDb> {
  const db = await testDb();
  await addPromptItems(
    db,
    [
      {
        turns: ["Who are you?"],
        responses: [
          { model: "m1", text: "I am Zephyrine, a helpful assistant." },
          { model: "m2", text: "Just a language model, happy to help." },
        ],
      },
    ],
    { source: "test" },
  );
  return db;
}

async function drawLeak(db: ArenaDb, voter: string) {
  const { id } = await createBattle(db, voter, { rng: seededRng(1), identityWords: [] });
  const row = await first(db.select().from(battles).where(eq(battles.id, id)));
  return { leak: row?.identityLeak, reason: row?.leakReason };
}

describe("stored identity-leak verdicts", () => {
  it("are decided when a response and a prompt are written", async () => {
    const db = await testDb();
    await addPromptItems(
      db,
      [
        {
          turns: ["Are you ChatGPT?", "Or Claude?"],
          responses: [
            { model: "m1", text: "I was trained by OpenAI." },
            { model: "m2", text: "Hello there." },
          ],
        },
      ],
      { source: "test" },
    );
    const list = (await currentWordList(db, [])).digest;
    expect(await responseOf(db, "m1")).toMatchObject({ words: '["openai"]', list });
    expect(await responseOf(db, "m2")).toMatchObject({ words: "[]", list });
    const prompt = await first(db.select().from(prompts));
    // Every turn of the prompt is checked, not only the first.
    expect(prompt?.leakWords).toEqual(["chatgpt", "claude"]);
    expect(prompt?.leakList).toBe(list);
  });

  it("are what the draw reads: a stored verdict decides the battle, whatever the text says", async () => {
    const db = await seeded();
    const list = (await currentWordList(db, [])).digest;
    // Swap the stored verdicts (same word list, texts untouched): only a draw that reads them follows.
    const m1 = await responseOf(db, "m1");
    const m2 = await responseOf(db, "m2");
    const store = (words: string, id: number) =>
      execute(db, sql`update responses set leak_words = ${words} where id = ${id}`);
    await store("[]", m1.id);
    await store('["planted"]', m2.id);
    expect((await responseOf(db, "m1")).list).toBe(list);
    const drawn = await drawLeak(db, "voter-aaaaaaaaaaaaaaaa");
    expect(drawn.leak).toBe(true);
    expect(drawn.reason).toMatch(/^"planted" in response [AB]$/);
  });

  it("are decided again when a model is renamed, by the draw and by the pass over all rows", async () => {
    const db = await seeded();
    const before = (await currentWordList(db, [])).digest;
    expect((await drawLeak(db, "voter-aaaaaaaaaaaaaaaa")).leak).toBe(false);
    // m2's maker is renamed to a word its response uses: every verdict is now stale.
    const [m2] = await rows<{ id: number; display_name: string; license: string }>(
      db,
      sql`select * from models where slug = 'm2'`,
    );
    if (!m2) throw new Error("no model m2");
    await updateModel(db, m2.id, {
      displayName: m2.display_name,
      organization: "Happy To Help",
      license: m2.license,
      link: null,
      hidden: false,
      deprecated: false,
    });
    const after = (await currentWordList(db, [])).digest;
    expect(after).not.toBe(before);
    expect((await responseOf(db, "m2")).list).toBe(before);
    // The draw does not trust the stale verdict: it decides it again and stores it.
    const drawn = await drawLeak(db, "voter-bbbbbbbbbbbbbbbb");
    expect(drawn.leak).toBe(true);
    expect(drawn.reason).toContain('"happy to help" in response');
    expect(await responseOf(db, "m2")).toMatchObject({ words: '["happy to help"]', list: after });
    // The pass decides what the draw did not touch (here the other prompt's rows).
    await seedPrompts(db, 1, ["m1", "m2"], { text: () => "Say hi" });
    await execute(db, sql`update responses set leak_list = 'old'`);
    expect(await decideLeakVerdicts(db, [])).toBe(4);
    expect(await decideLeakVerdicts(db, [])).toBe(0);
    expect(await responseOf(db, "m2")).toMatchObject({ words: '["happy to help"]', list: after });
  });

  it("follow a model added by a later write, and the deployment's extra words", async () => {
    const db = await seeded();
    const old = (await currentWordList(db, [])).digest;
    // A new model named as m1's response names itself: m1's stored verdict is now stale.
    await addPromptItems(
      db,
      [{ turns: ["Other"], responses: [{ model: "zephyrine", text: "Hi" }] }],
      {
        source: "test",
      },
    );
    expect((await responseOf(db, "m1")).list).toBe(old);
    expect(await decideLeakVerdicts(db, [])).toBeGreaterThan(0);
    expect((await responseOf(db, "m1")).words).toBe('["zephyrine"]');
    // Extra words are part of the list a verdict was decided against.
    expect(await decideLeakVerdicts(db, ["helpful assistant"])).toBeGreaterThan(0);
    expect((await responseOf(db, "m1")).words).toBe('["zephyrine","helpful assistant"]');
  });

  it("are dropped when the text is changed by anything but a write that decides it", async () => {
    const db = await seeded();
    await execute(
      db,
      sql`update responses set text = 'I am ChatGPT' where id = ${(await responseOf(db, "m2")).id}`,
    );
    expect((await responseOf(db, "m2")).list).toBeNull();
    await execute(db, sql`update prompts set text = 'Are you Claude?'`);
    expect((await first(db.select().from(prompts)))?.leakList).toBeNull();
    const drawn = await drawLeak(db, "voter-aaaaaaaaaaaaaaaa");
    expect(drawn.reason).toContain('"claude" in the prompt');
    expect(drawn.reason).toContain('"chatgpt" in response');
  });

  it("left undecided by the migration are decided by the server's background pass", async () => {
    const db = await testDb();
    await seedPrompts(db, 40, ["m1", "m2", "m3"]);
    await execute(db, sql`update responses set leak_words = null, leak_list = null`);
    await execute(db, sql`update prompts set leak_words = null, leak_list = null`);
    startLeakVerdicts(db);
    const undecided = async () =>
      (
        await rows<{ n: number }>(
          db,
          sql`select (select count(*) from responses where leak_list is null) + (select count(*) from prompts where leak_list is null) n`,
        )
      )[0]?.n ?? 0;
    for (let i = 0; i < 200 && (await undecided()) > 0; i++)
      await new Promise((r) => setTimeout(r, 5));
    expect(await undecided()).toBe(0);
    const list = (await currentWordList(db)).digest;
    expect((await db.select().from(responses)).every((r) => r.leakList === list)).toBe(true);
  });
});

import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { ArenaDb } from "@/db/client";
import { battles, prompts, responses } from "@/db/schema";
import { seededRng, seedPrompts, testDb } from "@/tests/helpers/db";
import { createBattle } from "./battles";
import { addPromptItems } from "./catalog";
import { currentWordList, decideLeakVerdicts, startLeakVerdicts } from "./leak-verdicts";
import { updateModel } from "./models";

const responseOf = (db: ArenaDb, modelSlug: string) =>
  db.$client
    .prepare(
      "select r.id, r.text, r.leak_words words, r.leak_list list from responses r join models m on m.id = r.model_id where m.slug = ?",
    )
    .get(modelSlug) as { id: number; text: string; words: string | null; list: string | null };

/** One prompt answered by m1 (which names "Zephyrine") and m2 (clean). */
function seeded(): ArenaDb {
  const db = testDb();
  addPromptItems(
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

function drawLeak(db: ArenaDb, voter: string) {
  const { id } = createBattle(db, voter, { rng: seededRng(1), identityWords: [] });
  const row = db.select().from(battles).where(eq(battles.id, id)).get();
  return { leak: row?.identityLeak, reason: row?.leakReason };
}

describe("stored identity-leak verdicts", () => {
  it("are decided when a response and a prompt are written", () => {
    const db = testDb();
    addPromptItems(
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
    const list = currentWordList(db, []).digest;
    expect(responseOf(db, "m1")).toMatchObject({ words: '["openai"]', list });
    expect(responseOf(db, "m2")).toMatchObject({ words: "[]", list });
    const prompt = db.select().from(prompts).get();
    // Every turn of the prompt is checked, not only the first.
    expect(prompt?.leakWords).toEqual(["chatgpt", "claude"]);
    expect(prompt?.leakList).toBe(list);
  });

  it("are what the draw reads: a stored verdict decides the battle, whatever the text says", () => {
    const db = seeded();
    const list = currentWordList(db, []).digest;
    // Swap the stored verdicts (same word list, texts untouched): only a draw that reads them follows.
    const m1 = responseOf(db, "m1");
    const m2 = responseOf(db, "m2");
    const store = db.$client.prepare("update responses set leak_words = ? where id = ?");
    store.run("[]", m1.id);
    store.run('["planted"]', m2.id);
    expect(responseOf(db, "m1").list).toBe(list);
    const drawn = drawLeak(db, "voter-aaaaaaaaaaaaaaaa");
    expect(drawn.leak).toBe(true);
    expect(drawn.reason).toMatch(/^"planted" in response [AB]$/);
  });

  it("are decided again when a model is renamed, by the draw and by the pass over all rows", () => {
    const db = seeded();
    const before = currentWordList(db, []).digest;
    expect(drawLeak(db, "voter-aaaaaaaaaaaaaaaa").leak).toBe(false);
    // m2's maker is renamed to a word its response uses: every verdict is now stale.
    const m2 = db.$client.prepare("select * from models where slug = 'm2'").get() as {
      id: number;
      display_name: string;
      license: string;
    };
    updateModel(db, m2.id, {
      displayName: m2.display_name,
      organization: "Happy To Help",
      license: m2.license,
      link: null,
      hidden: false,
      deprecated: false,
    });
    const after = currentWordList(db, []).digest;
    expect(after).not.toBe(before);
    expect(responseOf(db, "m2").list).toBe(before);
    // The draw does not trust the stale verdict: it decides it again and stores it.
    const drawn = drawLeak(db, "voter-bbbbbbbbbbbbbbbb");
    expect(drawn.leak).toBe(true);
    expect(drawn.reason).toContain('"happy to help" in response');
    expect(responseOf(db, "m2")).toMatchObject({ words: '["happy to help"]', list: after });
    // The pass decides what the draw did not touch (here the other prompt's rows).
    seedPrompts(db, 1, ["m1", "m2"], { text: () => "Say hi" });
    db.$client.prepare("update responses set leak_list = 'old'").run();
    expect(decideLeakVerdicts(db, [])).toBe(4);
    expect(decideLeakVerdicts(db, [])).toBe(0);
    expect(responseOf(db, "m2")).toMatchObject({ words: '["happy to help"]', list: after });
  });

  it("follow a model added by a later write, and the deployment's extra words", () => {
    const db = seeded();
    const old = currentWordList(db, []).digest;
    // A new model named as m1's response names itself: m1's stored verdict is now stale.
    addPromptItems(db, [{ turns: ["Other"], responses: [{ model: "zephyrine", text: "Hi" }] }], {
      source: "test",
    });
    expect(responseOf(db, "m1").list).toBe(old);
    expect(decideLeakVerdicts(db, [])).toBeGreaterThan(0);
    expect(responseOf(db, "m1").words).toBe('["zephyrine"]');
    // Extra words are part of the list a verdict was decided against.
    expect(decideLeakVerdicts(db, ["helpful assistant"])).toBeGreaterThan(0);
    expect(responseOf(db, "m1").words).toBe('["zephyrine","helpful assistant"]');
  });

  it("are dropped when the text is changed by anything but a write that decides it", () => {
    const db = seeded();
    db.$client
      .prepare("update responses set text = 'I am ChatGPT' where id = ?")
      .run(responseOf(db, "m2").id);
    expect(responseOf(db, "m2").list).toBeNull();
    db.$client.prepare("update prompts set text = 'Are you Claude?'").run();
    expect(db.select().from(prompts).get()?.leakList).toBeNull();
    const drawn = drawLeak(db, "voter-aaaaaaaaaaaaaaaa");
    expect(drawn.reason).toContain('"claude" in the prompt');
    expect(drawn.reason).toContain('"chatgpt" in response');
  });

  it("left undecided by the migration are decided by the server's background pass", async () => {
    const db = testDb();
    seedPrompts(db, 40, ["m1", "m2", "m3"]);
    db.$client.prepare("update responses set leak_words = null, leak_list = null").run();
    db.$client.prepare("update prompts set leak_words = null, leak_list = null").run();
    startLeakVerdicts(db);
    const undecided = () =>
      (
        db.$client
          .prepare(
            "select (select count(*) from responses where leak_list is null) + (select count(*) from prompts where leak_list is null) n",
          )
          .get() as { n: number }
      ).n;
    for (let i = 0; i < 200 && undecided() > 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(undecided()).toBe(0);
    const list = currentWordList(db).digest;
    expect(
      db
        .select()
        .from(responses)
        .all()
        .every((r) => r.leakList === list),
    ).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import { ImportError, type ImportOptions, type ParsedImport, parseImport } from "./parse";

/** The text as UTF-8 bytes in chunks of `size`, as an upload arrives. */
async function* bytes(text: string, size = 64 * 1024): AsyncGenerator<Uint8Array> {
  const all = new TextEncoder().encode(text);
  for (let i = 0; i < all.length; i += size) yield all.subarray(i, i + size);
}

function parse(text: string, opts?: ImportOptions, size?: number): Promise<ParsedImport> {
  return parseImport(bytes(text, size), opts);
}

async function refusal(text: string | AsyncIterable<Uint8Array>, opts?: ImportOptions) {
  try {
    await parseImport(text, opts);
  } catch (e) {
    if (e instanceof ImportError) return e;
    throw e;
  }
  throw new Error("expected an ImportError");
}

const jsonl = (...records: unknown[]) => `${records.map((r) => JSON.stringify(r)).join("\n")}\n`;

describe("format 1: prompt-set", () => {
  const records = [
    {
      id: 7,
      prompt: "What is 2+2?",
      tags: ["math"],
      responses: { "gpt-4": "4", "claude-v1": "Four." },
    },
    { turns: ["Hi", "Tell me a joke"], language: "en", responses: { "gpt-4": "Why did…" } },
  ];
  const items = [
    {
      externalId: "7",
      turns: ["What is 2+2?"],
      language: undefined,
      tags: ["math"],
      responses: [
        { model: "gpt-4", text: "4" },
        { model: "claude-v1", text: "Four." },
      ],
    },
    {
      externalId: undefined,
      turns: ["Hi", "Tell me a joke"],
      language: "en",
      tags: undefined,
      responses: [{ model: "gpt-4", text: "Why did…" }],
    },
  ];

  it("reads JSONL", async () => {
    const r = await parse(jsonl(...records));
    expect(r).toEqual({
      format: "prompt-set",
      container: "jsonl",
      items,
      votes: [],
      records: 2,
      skipped: 0,
    });
  });

  it("reads a JSON array", async () => {
    const r = await parse(JSON.stringify(records, null, 2));
    expect(r).toMatchObject({ format: "prompt-set", container: "json", items, records: 2 });
  });

  it("skips a record identical to an earlier one", async () => {
    const r = await parse(jsonl(records[0], records[1], records[0]));
    expect(r.items).toEqual(items);
    expect(r).toMatchObject({ records: 3, skipped: 1 });
  });

  it("refuses an empty model name, naming the line and field", async () => {
    const e = await refusal(jsonl(records[0], { prompt: "p", responses: { "": "text" } }));
    expect(e.message).toBe('line 2, field "responses[""]": model name is empty');
    expect(e).toMatchObject({ line: 2, record: 2, field: 'responses[""]', code: "invalid" });
  });

  it("refuses a record without prompt or turns, and an empty response", async () => {
    // `responses` alone makes a prompt set, so the missing prompt is named, even in the first record
    expect((await refusal(jsonl({ responses: { m: "r" } }))).message).toBe(
      'line 1, field "prompt": a record needs `prompt` or `turns`',
    );
    const e = await refusal(jsonl(records[0], { responses: { m: "r" } }));
    expect(e.message).toBe('line 2, field "prompt": a record needs `prompt` or `turns`');
    const array = JSON.stringify([records[0], { prompt: "p", responses: { m: " " } }], null, 2);
    expect((await refusal(array)).message).toBe(
      'record 2 (line 13), field "responses.m": response is empty',
    );
  });

  it("refuses a prompt set written as CSV", async () => {
    expect((await refusal("prompt,responses\np,x\n")).message).toBe(
      "a prompt-set file must be JSONL or a JSON array, not CSV",
    );
  });
});

describe("format 2: response-rows", () => {
  const csv = [
    "prompt_id,prompt,model,response,tags",
    'p1,What is 2+2?,gpt-4,"It is 4, obviously.",math;arithmetic',
    'p1,What is 2+2?,claude-v1,"Four.\nAs in ""4"".",math|easy',
    'p2,"Write a haiku",gpt-4,"Autumn moon,\r\nrises",["poetry"]',
    'p1,What is 2+2?,gpt-4,"It is 4, obviously.",',
    ",Untagged question,gpt-4,answer one,",
    ",  Untagged question ,claude-v1,answer two,",
  ].join("\r\n");
  const items = [
    {
      externalId: "p1",
      turns: ["What is 2+2?"],
      tags: ["math", "arithmetic", "easy"],
      responses: [
        { model: "gpt-4", text: "It is 4, obviously." },
        { model: "claude-v1", text: 'Four.\nAs in "4".' },
      ],
    },
    {
      externalId: "p2",
      turns: ["Write a haiku"],
      tags: ["poetry"],
      responses: [{ model: "gpt-4", text: "Autumn moon,\r\nrises" }],
    },
    {
      turns: ["Untagged question"],
      responses: [
        { model: "gpt-4", text: "answer one" },
        { model: "claude-v1", text: "answer two" },
      ],
    },
  ];

  it("reads CSV, groups rows by prompt_id or prompt text, and skips an identical row", async () => {
    const r = await parse(csv);
    expect(r).toEqual({
      format: "response-rows",
      container: "csv",
      items,
      votes: [],
      records: 6,
      skipped: 1,
    });
  });

  it("gives the same result whatever the chunk size", async () => {
    const whole = await parse(csv);
    for (const size of [1, 3, 17]) expect(await parse(csv, {}, size)).toEqual(whole);
  });

  it("reads JSONL and a JSON array", async () => {
    const rows = [
      {
        prompt_id: "p1",
        prompt: "What is 2+2?",
        model: "gpt-4",
        response: "It is 4, obviously.",
        tags: ["math", "arithmetic"],
      },
      {
        prompt_id: "p1",
        prompt: "What is 2+2?",
        model: "claude-v1",
        response: 'Four.\nAs in "4".',
        tags: "math|easy",
      },
      {
        prompt_id: "p2",
        prompt: "Write a haiku",
        model: "gpt-4",
        response: "Autumn moon,\r\nrises",
        tags: ["poetry"],
      },
      { prompt_id: "p1", prompt: "What is 2+2?", model: "gpt-4", response: "It is 4, obviously." },
      { prompt_id: null, prompt: "Untagged question", model: "gpt-4", response: "answer one" },
      { prompt: "  Untagged question ", model: "claude-v1", response: "answer two" },
    ];
    const fromJsonl = await parse(jsonl(...rows));
    expect(fromJsonl).toMatchObject({ container: "jsonl", items, records: 6, skipped: 1 });
    const fromArray = await parse(JSON.stringify(rows));
    expect(fromArray).toMatchObject({ container: "json", items, records: 6, skipped: 1 });
  });

  it("refuses a second, different response by the same model to the same prompt", async () => {
    const e = await refusal("prompt,model,response\np,m,first\nq,m,other\np,m,second\n");
    expect(e.message).toBe(
      'line 4, field "response": model "m" already has a different response to this prompt (line 2)',
    );
  });

  it("refuses one prompt_id used for two prompts", async () => {
    const e = await refusal("prompt_id,prompt,model,response\n1,p,a,x\n1,q,b,y\n");
    expect(e.message).toBe(
      'line 3, field "prompt": prompt_id "1" was given a different prompt on line 2',
    );
  });

  it("refuses an empty model name and a row with the wrong number of columns", async () => {
    expect((await refusal("prompt,model,response\np,a,x\np,  ,y\n")).message).toBe(
      'line 3, field "model": model name is empty',
    );
    const e = await refusal('prompt,model,response\np,a,x\n"multi\nline",b\n');
    expect(e.message).toBe("line 3: expected 3 columns (prompt, model, response) but found 2");
    expect(e.line).toBe(3);
  });

  it("refuses a CSV header without a needed column", async () => {
    const forced = await refusal("prompt,model,answer\np,a,x\n", { format: "response-rows" });
    expect(forced.message).toBe(
      'line 1: the CSV header has no column "response" (a response-rows file needs prompt, model, response; the header has prompt, model, answer)',
    );
    expect(forced.field).toBe("response");
    // auto-detection sees prompt and model, so it names the missing column too
    expect((await refusal("prompt,model,answer\np,a,x\n")).message).toBe(forced.message);
    const unknown = await refusal("question,answer\nq,a\n");
    expect(unknown.code).toBe("unknown_format");
    expect(unknown.message).toMatch(
      /^could not recognise the format: expected one of prompt-set .*; the CSV header has columns question, answer$/,
    );
  });
});

describe("format 3: battles", () => {
  const battle = (i: number, winner: string, extra: Record<string, unknown> = {}) => ({
    arena_idx: i,
    model_a: "vicuna-13b",
    model_b: "koala-13b",
    winner,
    judge: `judge-${i}`,
    tstamp: 1682351591.5 + i,
    prompt: `Question ${i}?`,
    response_a: `A says "${i}",\nthen more`,
    response_b: `B says ${i}`,
    conversation_a: [{ role: "user", content: "…" }],
    ...extra,
  });
  const records = [
    battle(1, "model_a"),
    battle(2, "tie (bothbad)", { language: "English" }),
    battle(3, "tie"),
  ];

  it("reads JSONL: one item with two responses per record, votes only when asked", async () => {
    const r = await parse(jsonl(...records));
    expect(r.format).toBe("battles");
    expect(r.votes).toEqual([]);
    expect(r.items[1]).toEqual({
      turns: ["Question 2?"],
      language: "English",
      responses: [
        { model: "vicuna-13b", text: 'A says "2",\nthen more' },
        { model: "koala-13b", text: "B says 2" },
      ],
    });
    const withVotes = await parse(jsonl(...records), { votes: true });
    expect(withVotes.votes.map(({ key: _, ...v }) => v)).toEqual([
      {
        modelA: "vicuna-13b",
        modelB: "koala-13b",
        winner: "a",
        tstamp: 1682351592500,
        judge: "judge-1",
        item: 0,
      },
      {
        modelA: "vicuna-13b",
        modelB: "koala-13b",
        winner: "bothbad",
        tstamp: 1682351593500,
        judge: "judge-2",
        language: "English",
        item: 1,
      },
      {
        modelA: "vicuna-13b",
        modelB: "koala-13b",
        winner: "tie",
        tstamp: 1682351594500,
        judge: "judge-3",
        item: 2,
      },
    ]);
  });

  it("reads a JSON array and CSV to the same items and votes", async () => {
    const expected = await parse(jsonl(...records), { votes: true });
    const fromArray = await parse(JSON.stringify(records, null, 2), { votes: true });
    expect(fromArray.items).toEqual(expected.items);
    expect(fromArray.votes.map((v) => v.winner)).toEqual(["a", "bothbad", "tie"]);
    const cell = (v: unknown) => `"${String(v).replaceAll('"', '""')}"`;
    const cols = [
      "arena_idx",
      "model_a",
      "model_b",
      "winner",
      "judge",
      "tstamp",
      "prompt",
      "response_a",
      "response_b",
    ] as const;
    const csv = [cols.join(","), ...records.map((r) => cols.map((c) => cell(r[c])).join(","))].join(
      "\n",
    );
    const fromCsv = await parse(csv, { votes: true });
    expect(fromCsv.container).toBe("csv");
    expect(fromCsv.items).toEqual(expected.items.map(({ language: _, ...i }) => i));
    expect(fromCsv.votes.map(({ key: _, ...v }) => v)).toEqual(
      expected.votes.map(({ key: _, language: __, ...v }) => v),
    );
  });

  it("skips an identical record, and its vote", async () => {
    const r = await parse(jsonl(records[0], records[1], records[0], records[2]), { votes: true });
    expect(r).toMatchObject({ records: 4, skipped: 1 });
    expect(r.items).toHaveLength(3);
    expect(r.votes.map((v) => v.item)).toEqual([0, 1, 2]);
  });

  it("refuses an unknown winner only when votes are wanted", async () => {
    const bad = jsonl(records[0], battle(2, "modelx"));
    expect((await parse(bad)).items).toHaveLength(2);
    const e = await refusal(bad, { votes: true });
    expect(e.message).toBe(
      'line 2, field "winner": "modelx" is not one of model_a, model_b, tie, tie (bothbad)',
    );
    expect(e).toMatchObject({ line: 2, field: "winner" });
    expect(
      (await refusal(jsonl(battle(1, "model_a", { winner: undefined })), { votes: true })).message,
    ).toBe('line 1, field "winner": is missing');
  });

  it("refuses a battle of a model against itself", async () => {
    const e = await refusal(jsonl(records[0], battle(2, "tie", { model_b: "vicuna-13b" })));
    expect(e.message).toBe('line 2, field "model_b": is the same model as model_a ("vicuna-13b")');
  });

  it("takes the text from FastChat conversations (this app's export) when there is no prompt", async () => {
    const conv = (
      prompt: string,
      reply: string,
      more: { role: string; content: string }[] = [],
    ) => [{ role: "user", content: prompt }, { role: "assistant", content: reply }, ...more];
    const exported = [
      {
        question_id: "b1",
        model_a: "gpt-4",
        model_b: "claude-v1",
        winner: "model_a",
        conversation_a: conv("Why?", "Because."),
        conversation_b: conv("Why?", "No idea."),
        tstamp: 1700000000,
        categories: ["english", "overall"],
      },
      {
        question_id: "b2",
        model_a: "claude-v1",
        model_b: "palm-2",
        winner: "tie",
        // multi-turn: the first exchange is kept
        conversation_a: conv("Hi", "Hello!", [
          { role: "user", content: "More" },
          { role: "assistant", content: "…" },
        ]),
        conversation_b: conv("Hi", "Hey."),
      },
    ];
    const r = await parse(JSON.stringify(exported), { votes: true });
    expect(r.format).toBe("battles");
    expect(r.items.map((i) => [i.turns, i.responses])).toEqual([
      [
        ["Why?"],
        [
          { model: "gpt-4", text: "Because." },
          { model: "claude-v1", text: "No idea." },
        ],
      ],
      [
        ["Hi"],
        [
          { model: "claude-v1", text: "Hello!" },
          { model: "palm-2", text: "Hey." },
        ],
      ],
    ]);
    expect(r.votes.map((v) => [v.winner, v.item, v.tstamp, v.categories])).toEqual([
      ["a", 0, 1700000000000, ["english", "overall"]],
      ["tie", 1, undefined, undefined],
    ]);
    const different = { ...exported[0], conversation_b: conv("Why not?", "x") };
    expect((await refusal(jsonl(different))).message).toBe(
      'line 1, field "conversation_b": starts with a different user message than conversation_a',
    );
    const noReply = { ...exported[0], conversation_a: [{ role: "user", content: "Why?" }] };
    expect((await refusal(jsonl(noReply))).message).toBe(
      'line 1, field "conversation_a": has no assistant reply',
    );
    const notList = { ...exported[0], conversation_a: "Why?" };
    expect((await refusal(jsonl(notList))).message).toBe(
      'line 1, field "conversation_a": must be a list, not the text "Why?"',
    );
  });

  it("refuses an empty response", async () => {
    const e = await refusal(JSON.stringify([records[0], battle(2, "tie", { response_b: "  " })]));
    expect(e.message).toBe('record 2 (line 1), field "response_b": response is empty');
    expect(e).toMatchObject({ record: 2, line: 1, field: "response_b" });
  });
});

describe("format 4: votes", () => {
  it("reads FastChat votes CSV, with an unnamed index column and extra columns", async () => {
    const r = await parse(
      ",arena_idx,model_a,model_b,winner\n0,10,a,b,model_a\n1,11,b,c,tie (bothbad)\n",
    );
    expect(r).toMatchObject({
      format: "votes",
      container: "csv",
      items: [],
      records: 2,
      skipped: 0,
    });
    expect(r.votes.map((v) => [v.modelA, v.modelB, v.winner])).toEqual([
      ["a", "b", "a"],
      ["b", "c", "bothbad"],
    ]);
  });

  it("reads clean_battle JSON with its optional fields", async () => {
    const clean = [
      {
        question_id: "q1",
        model_a: "gpt-4",
        model_b: "claude-v1",
        winner: "model_b",
        judge: "arena_user_1",
        turn: 1,
        anony: true,
        language: "English",
        tstamp: 1682351591.1322,
        category_tag: {
          "math_v0.1": { math: true },
          "criteria_v0.1": { a: true, b: true, c: true, d: true, e: true, f: true, g: false },
          "if_v0.1": { if: false, score: 2 },
        },
      },
      {
        model_a: "gpt-4",
        model_b: "palm-2",
        winner: "tie",
        anony: false,
        categories: ["coding"],
        excluded: true,
        identity_leak: false,
      },
    ];
    const r = await parse(JSON.stringify(clean, null, 2));
    expect(r.votes.map(({ key: _, ...v }) => v)).toEqual([
      {
        modelA: "gpt-4",
        modelB: "claude-v1",
        winner: "b",
        judge: "arena_user_1",
        anony: true,
        language: "English",
        tstamp: 1682351591132,
        categories: ["math", "hard-prompts"],
      },
      {
        modelA: "gpt-4",
        modelB: "palm-2",
        winner: "tie",
        anony: false,
        categories: ["coding"],
        excluded: true,
        identityLeak: false,
      },
    ]);
    const fromJsonl = await parse(jsonl(...clean));
    const withoutKeys = (votes: { key: string }[]) => votes.map(({ key: _, ...v }) => v);
    expect(withoutKeys(fromJsonl.votes)).toEqual(withoutKeys(r.votes));
  });

  it("keeps identical vote rows as separate votes with distinct, stable keys", async () => {
    const text = "model_a,model_b,winner\nx,y,model_a\nx,y,model_a\n";
    const r = await parse(text);
    expect(r).toMatchObject({ records: 2, skipped: 0 });
    const [k1, k2] = r.votes.map((v) => v.key);
    expect(k1).not.toBe(k2);
    expect((await parse(text)).votes.map((v) => v.key)).toEqual([k1, k2]);
  });

  it("refuses a bad winner, an empty model, the same model twice and a bad row", async () => {
    const head = "model_a,model_b,winner,tstamp\n";
    const first = "x,y,tie,1682351591\n";
    expect((await refusal(`${head}${first}x,y,modelx,\n`)).message).toBe(
      'line 3, field "winner": "modelx" is not one of model_a, model_b, tie, tie (bothbad)',
    );
    expect((await refusal(`${head}${first},y,tie,\n`)).message).toBe(
      'line 3, field "model_a": model name is empty',
    );
    expect((await refusal(`${head}${first}x,x,tie,\n`)).message).toBe(
      'line 3, field "model_b": is the same model as model_a ("x")',
    );
    expect((await refusal(`${head}${first}x,y,tie\n`)).message).toBe(
      "line 3: expected 4 columns (model_a, model_b, winner, tstamp) but found 3",
    );
    expect((await refusal(`${head}${first}x,y,tie,yesterday\n`)).message).toBe(
      'line 3, field "tstamp": "yesterday" is not a time',
    );
  });

  it("refuses a forced format whose fields are missing", async () => {
    expect((await refusal("a,b,c\n1,2,3\n", { format: "votes" })).message).toBe(
      'line 1: the CSV header has no column "model_a", "model_b", "winner" (a votes file needs model_a, model_b, winner; the header has a, b, c)',
    );
    expect(
      (await refusal(jsonl({ prompt: "p", responses: { m: "r" } }), { format: "votes" })).message,
    ).toBe('line 1, field "model_a": is missing');
  });
});

describe("files that are not imports", () => {
  it("refuses an empty file", async () => {
    for (const text of ["", "\uFEFF", " \r\n\t\n"]) {
      const e = await refusal(bytes(text));
      expect([e.message, e.code]).toEqual(["the file is empty", "empty"]);
    }
    expect((await refusal("")).message).toBe("the file is empty");
  });

  it("refuses a file without records", async () => {
    expect((await refusal("[ ]")).message).toBe("the file has no records");
    expect((await refusal("model_a,model_b,winner\r\n")).message).toBe(
      "the file has no records, only a header",
    );
  });

  it("refuses a NUL written as \\u0000 at its record and field", async () => {
    const turn = (t: string) => [
      { role: "user", content: t },
      { role: "assistant", content: "x" },
    ];
    const ok = {
      ...{ model_a: "a", model_b: "b", winner: "model_a" },
      ...{ conversation_a: turn("hi"), conversation_b: turn("hi") },
    };
    const bad = { ...ok, conversation_b: turn("hi\u0000there") };
    const e = await refusal(`${JSON.stringify(ok)}\n${JSON.stringify(bad)}\n`);
    expect([e.message, e.line]).toEqual([
      'line 2, field "conversation_b[0].content": holds a NUL character (\\u0000), which no text may',
      2,
    ]);
    // an escaped backslash before u0000 is the six characters, which any text may hold
    const both = turn("C: \\u0000");
    const literal = JSON.stringify({ ...ok, conversation_a: both, conversation_b: both });
    expect(literal).toContain("\\\\u0000");
    expect(await parseImport(`${literal}\n`, { votes: true })).toMatchObject({ records: 1 });
  });

  it("refuses binary content", async () => {
    const e = await refusal(bytes('{"model_a": "x\u0000"}'));
    expect([e.message, e.code]).toEqual(["this is not a text file", "not_text"]);
    async function* gzip() {
      yield new Uint8Array([0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe, 0xfd]);
    }
    expect((await refusal(gzip())).message).toBe("this is not a text file");
  });

  it("refuses truncated JSON with the line where it ends", async () => {
    const cut = `${jsonl({ model_a: "x", model_b: "y", winner: "tie" })}{"model_a": "x", "model_b": "y", "win`;
    const e = await refusal(bytes(cut));
    expect(e.message).toBe("the JSON ends early at line 2 (the file looks cut off)");
    expect(e.line).toBe(2);
    const array =
      '[\n  {"model_a": "x", "model_b": "y", "winner": "tie"},\n  {"model_a": "x", "mod';
    expect((await refusal(array)).message).toBe(
      "the JSON ends early at line 3: record 2 is incomplete",
    );
    expect(
      (await refusal('[\n  {"model_a": "x", "model_b": "y", "winner": "tie"}\n')).message,
    ).toBe("the JSON ends early at line 3: the array is not closed with ]");
  });

  it("refuses a broken JSONL line, a record that is not an object, and a pretty-printed object", async () => {
    const good = '{"model_a": "x", "model_b": "y", "winner": "tie"}';
    expect((await refusal(`${good}\n{"model_a": "x",, }\n${good}\n`)).message).toMatch(
      /^line 2: not valid JSON: /,
    );
    expect((await refusal(`${good}\n["x", "y", "tie"]\n`)).message).toBe(
      "line 2: a record must be a JSON object, not an array",
    );
    expect((await refusal('{\n  "model_a": "x"\n}\n')).message).toMatch(
      /^line 1: not valid JSON: .*a pretty-printed file must be a JSON array\)$/,
    );
  });

  it("refuses an unrecognisable first record, listing its fields", async () => {
    const e = await refusal(jsonl({ question: "q", answer: "a" }));
    expect(e.message).toBe(
      "could not recognise the format: expected one of prompt-set (prompt or turns, responses), response-rows (prompt, model, response), battles (model_a, model_b, prompt, response_a, response_b, or conversation_a, conversation_b) or votes (model_a, model_b, winner); the first record has fields question, answer",
    );
    expect(e.code).toBe("unknown_format");
  });

  it("refuses an oversized file without reading it all", async () => {
    let chunks = 0;
    async function* big() {
      for (let i = 0; i < 1000; i++) {
        chunks++;
        yield new TextEncoder().encode(
          `${JSON.stringify({ model_a: "x", model_b: "y", winner: "tie" })}\n`,
        );
      }
    }
    const e = await refusal(big(), { maxBytes: 1000 });
    expect([e.message, e.code]).toEqual([
      "the file is larger than the limit of 1000 bytes",
      "too_large",
    ]);
    expect(chunks).toBeLessThan(30);
  });

  it("stops reading the source at the first bad record", async () => {
    let closed = false;
    let chunks = 0;
    async function* source() {
      try {
        yield new TextEncoder().encode("model_a,model_b,winner\nx,x,tie\n");
        for (;;) {
          chunks++;
          yield new TextEncoder().encode("x,y,tie\n");
        }
      } finally {
        closed = true;
      }
    }
    expect((await refusal(source())).line).toBe(2);
    expect(closed).toBe(true);
    expect(chunks).toBeLessThan(5);
  });
});

describe("the largest text a record may hold", () => {
  const LIMIT = 2048;
  const long = (n: number, unit = "x") => unit.repeat(n);

  it("refuses a long response, naming the line and the field, in every format", async () => {
    const battle = { model_a: "a", model_b: "b", prompt: "p", response_a: "ok", winner: "tie" };
    const cases: [string, string][] = [
      [
        `${jsonl({ prompt: "p", responses: { a: "ok" } }, { prompt: "q", responses: { "gpt-4": long(LIMIT + 1) } })}`,
        'line 2, field "responses.gpt-4"',
      ],
      [
        jsonl({ ...battle, response_b: "fine" }, { ...battle, response_b: long(3000) }),
        'line 2, field "response_b"',
      ],
      [`prompt,model,response\np,a,x\n${long(LIMIT + 1)},b,y\n`, 'line 3, field "prompt"'],
      [
        `[\n${JSON.stringify({ turns: ["hi", long(LIMIT + 1)], responses: { a: "x" } })}\n]`,
        'record 1 (line 2), field "turns[1]"',
      ],
    ];
    for (const [file, where] of cases) {
      const e = await refusal(file, { maxTextBytes: LIMIT });
      expect(e.message, where).toMatch(
        new RegExp(`^${where.replace(/[[\]().]/g, "\\$&")}: is [\\d.]+ KB, more than the 2 KB`),
      );
      expect(e.message).toContain("IMPORT_MAX_TEXT_BYTES");
      expect(e.code).toBe("invalid");
    }
  });

  it("counts UTF-8 bytes, not characters, and takes a text exactly at the limit", async () => {
    const at = (text: string) => jsonl({ prompt: "p", responses: { a: text } });
    await expect(parse(at(long(LIMIT)), { maxTextBytes: LIMIT })).resolves.toMatchObject({
      records: 1,
    });
    // 700 CJK characters are 2,100 bytes
    const e = await refusal(at(long(700, "数")), { maxTextBytes: LIMIT });
    expect(e.field).toBe("responses.a");
    expect(e.line).toBe(1);
  });

  it("defaults to 64 KiB", async () => {
    const e = await refusal(jsonl({ prompt: "p", responses: { a: long(64 * 1024 + 1) } }));
    expect(e.message).toMatch(/more than the 64 KB/);
    await expect(
      parse(jsonl({ prompt: "p", responses: { a: long(64 * 1024) } })),
    ).resolves.toMatchObject({ records: 1 });
  });

  it("walks deeply nested records without overflowing the stack", async () => {
    // JSON.parse takes 100,000 levels; a recursive walk would overflow at about 10,000
    const depth = 100_000;
    const deep = `${"[".repeat(depth)}"${long(LIMIT + 1)}"${"]".repeat(depth)}`;
    const e = await refusal(`{"prompt":"p","responses":{"a":"x"},"extra":${deep}}\n`, {
      maxTextBytes: LIMIT,
    });
    expect(e.field).toBe(`extra${"[0]".repeat(depth)}`);
  });
});

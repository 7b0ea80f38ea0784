import { describe, expect, it } from "vitest";
import { OUTCOME } from "../ranking/types";
import { detectFormat, parseFastChatVotes, VotesParseError } from "./fastchat-votes";

function errorOf(fn: () => unknown): VotesParseError {
  try {
    fn();
  } catch (e) {
    if (e instanceof VotesParseError) return e;
    throw e;
  }
  throw new Error("expected a VotesParseError");
}

const CSV = [
  "arena_idx,model_a,model_b,winner",
  "0,x,y,model_a",
  "1,y,z,tie",
  "2,z,x,model_b",
  "3,x,y,tie (bothbad)",
  "4,x,y,model_a",
].join("\n");

describe("parseFastChatVotes — CSV", () => {
  it("reads the model names our CSV export guarded against formula injection as written", () => {
    const r = parseFastChatVotes(
      `model_a,model_b,winner\n"'=HYPERLINK(""x"")","'-1",model_a\n"'-1",y,tie\n`,
    );
    expect(r.models).toEqual(['=HYPERLINK("x")', "-1", "y"]);
  });

  it("reads votes, tallies ordered pairs and keeps the vote order", () => {
    const r = parseFastChatVotes(CSV);
    expect(r.format).toBe("csv");
    expect(r.models).toEqual(["x", "y", "z"]);
    expect(r.total).toBe(5);
    expect(r.matchups).toEqual([
      { a: 0, b: 1, winsA: 2, winsB: 0, ties: 0, bothBad: 1 },
      { a: 1, b: 2, winsA: 0, winsB: 0, ties: 1, bothBad: 0 },
      { a: 2, b: 0, winsA: 0, winsB: 1, ties: 0, bothBad: 0 },
    ]);
    expect(Array.from(r.votes.a)).toEqual([0, 1, 2, 0, 0]);
    expect(Array.from(r.votes.b)).toEqual([1, 2, 0, 1, 1]);
    expect(Array.from(r.votes.outcome)).toEqual([
      OUTCOME.A,
      OUTCOME.TIE,
      OUTCOME.B,
      OUTCOME.BOTH_BAD,
      OUTCOME.A,
    ]);
  });

  it("orders models like FastChat's factorize: model_a column first, then model_b", () => {
    const r = parseFastChatVotes("model_a,model_b,winner\nq,p,tie\nr,q,tie\ns,t,tie\n");
    expect(r.models).toEqual(["q", "r", "s", "p", "t"]);
  });

  it("accepts any column order, extra columns, CRLF, a BOM and blank lines", () => {
    const text = "\ufeffwinner,judge,model_b,model_a\r\nmodel_b,anon,y,x\r\n\r\ntie,anon,x,y\r\n";
    const r = parseFastChatVotes(text);
    expect(r.models).toEqual(["x", "y"]);
    expect(r.matchups).toEqual([
      { a: 0, b: 1, winsA: 0, winsB: 1, ties: 0, bothBad: 0 },
      { a: 1, b: 0, winsA: 0, winsB: 0, ties: 1, bothBad: 0 },
    ]);
  });

  it("handles quoted fields with commas, quotes and newlines", () => {
    const text =
      'model_a,model_b,winner,prompt\n"gpt-4, June","say ""hi""",model_a,"two\nlines"\nx,"gpt-4, June",tie,plain\n';
    const r = parseFastChatVotes(text);
    expect(r.models).toEqual(["gpt-4, June", "x", 'say "hi"']);
    expect(r.total).toBe(2);
  });

  it("names the line and field of a bad winner", () => {
    const text = "model_a,model_b,winner\nx,y,model_a\nx,y,modelx\n";
    const e = errorOf(() => parseFastChatVotes(text));
    expect(e.message).toBe(
      'line 3: winner "modelx" is not one of model_a, model_b, tie, tie (bothbad)',
    );
    expect(e.line).toBe(3);
    expect(e.field).toBe("winner");
  });

  it("counts physical lines across quoted newlines", () => {
    const text = 'model_a,model_b,winner,note\nx,y,tie,"a\nb\nc"\nx,,tie,z\n';
    expect(errorOf(() => parseFastChatVotes(text)).message).toBe("line 5: model_b is empty");
  });

  it("rejects missing columns, short rows, self-play and broken quoting", () => {
    expect(errorOf(() => parseFastChatVotes("a,b,c\n1,2,3\n")).message).toMatch(
      /^line 1: the header has no model_a, model_b, winner column/,
    );
    expect(errorOf(() => parseFastChatVotes("model_a,model_b,winner\nx,y\n")).message).toBe(
      "line 2: expected 3 fields, found 2",
    );
    expect(errorOf(() => parseFastChatVotes("model_a,model_b,winner\nx,x,tie\n")).message).toBe(
      'line 2: model_b "x" is the same model as model_a',
    );
    expect(errorOf(() => parseFastChatVotes('model_a,model_b,winner\nx,"y,tie\n')).message).toMatch(
      /^line 2: unterminated/,
    );
    expect(errorOf(() => parseFastChatVotes("model_a,model_b,winner\n")).message).toBe(
      "the file contains no votes",
    );
  });

  it("filters a CSV by its category column, and refuses categories it does not have", () => {
    const text =
      "model_a,model_b,winner,category\nx,y,model_a,math|coding\nx,y,model_b,coding\ny,x,tie,math\n";
    expect(parseFastChatVotes(text, { category: "math" }).total).toBe(2);
    expect(parseFastChatVotes(text, { category: "overall" }).total).toBe(3);
    expect(errorOf(() => parseFastChatVotes(text, { category: "poetry" })).message).toBe(
      'no votes in category "poetry"',
    );
    expect(errorOf(() => parseFastChatVotes(CSV, { category: "math" })).message).toMatch(
      /no category column: only "overall"/,
    );
  });
});

describe("parseFastChatVotes — clean_battle JSON and JSON Lines", () => {
  const battles = [
    {
      model_a: "x",
      model_b: "y",
      winner: "model_a",
      tstamp: 1,
      anony: true,
      language: "English",
      category_tag: { "math_v0.1": { math: true }, "criteria_v0.1": { specificity: false } },
    },
    {
      model_a: "y",
      model_b: "z",
      winner: "tie (bothbad)",
      category_tag: { "math_v0.1": { math: false } },
    },
    { model_a: "z", model_b: "x", winner: "model_b", categories: ["math", "hard"] },
  ];

  it("reads an array of battle records", () => {
    const r = parseFastChatVotes(JSON.stringify(battles, null, 2));
    expect(r.format).toBe("json");
    expect(r.models).toEqual(["x", "y", "z"]);
    expect(r.total).toBe(3);
    expect(r.hasCategories).toBe(false); // only determined when filtering
  });

  it("filters by category_tag flags and categories", () => {
    const r = parseFastChatVotes(JSON.stringify(battles), { category: "math" });
    expect(r.total).toBe(2);
    expect(r.hasCategories).toBe(true);
    expect(parseFastChatVotes(JSON.stringify(battles), { category: "hard" }).total).toBe(1);
    const hard = {
      model_a: "x",
      model_b: "y",
      winner: "tie",
      category_tag: {
        "criteria_v0.1": Object.fromEntries("abcdefg".split("").map((k) => [k, k !== "g"])),
      },
    };
    expect(
      parseFastChatVotes(JSON.stringify([...battles, hard]), { category: "hard-prompts" }).total,
    ).toBe(1);
    expect(
      errorOf(() =>
        parseFastChatVotes(JSON.stringify([{ model_a: "x", model_b: "y", winner: "tie" }]), {
          category: "math",
        }),
      ).message,
    ).toMatch(/no record has category_tag or categories/);
  });

  it("names the line of a bad record in a pretty-printed array", () => {
    const text = JSON.stringify(
      [battles[0], { model_a: "x", model_b: "y", winner: "left" }],
      null,
      2,
    );
    const e = errorOf(() => parseFastChatVotes(text));
    const line = text.split("\n").findIndex((l) => l.includes('"left"'));
    // the record starts 3 lines above its winner field ("{", model_a, model_b)
    expect(e.message).toBe(
      `line ${line - 2}: winner "left" is not one of model_a, model_b, tie, tie (bothbad)`,
    );
  });

  it("reports wrong types and missing fields", () => {
    expect(errorOf(() => parseFastChatVotes('[{"model_a": "x", "winner": "tie"}]')).message).toBe(
      "line 1: model_b is missing",
    );
    expect(
      errorOf(() => parseFastChatVotes('[{"model_a": 3, "model_b": "y", "winner": "tie"}]'))
        .message,
    ).toBe("line 1: model_a must be a string, got 3");
    expect(errorOf(() => parseFastChatVotes("[1]")).message).toBe(
      "line 1: a vote must be a JSON object",
    );
    expect(errorOf(() => parseFastChatVotes('{"not": "an array"')).message).toMatch(
      /^line 1: invalid JSON/,
    );
    expect(errorOf(() => parseFastChatVotes("[oops")).message).toMatch(/^invalid JSON/);
  });

  it("reads JSON Lines, skipping blank lines, with line numbers in errors", () => {
    const text = `${JSON.stringify(battles[0])}\n\n${JSON.stringify(battles[2])}\n`;
    const r = parseFastChatVotes(text);
    expect(r.format).toBe("jsonl");
    expect(r.total).toBe(2);
    const bad = `${JSON.stringify(battles[0])}\n\n{"model_a": "x", "model_b": "y", "winner": "b"}\n`;
    expect(errorOf(() => parseFastChatVotes(bad)).message).toMatch(/^line 3: winner "b"/);
  });

  it("detects the format from the first character", () => {
    expect(detectFormat("  [ ]")).toBe("json");
    expect(detectFormat("\n{}")).toBe("jsonl");
    expect(detectFormat("model_a,model_b,winner")).toBe("csv");
  });
});

import { describe, expect, it } from "vitest";
import { ImportError } from "./errors";
import { jsonArrayElements } from "./json-array";

async function* inChunks(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function elements(text: string, size = text.length || 1) {
  const out: { text: string; line: number; record: number }[] = [];
  for await (const el of jsonArrayElements(inChunks(text, size))) out.push(el);
  return out;
}

async function failure(text: string): Promise<ImportError> {
  try {
    await elements(text);
  } catch (e) {
    if (e instanceof ImportError) return e;
    throw e;
  }
  throw new Error("expected an ImportError");
}

describe("jsonArrayElements", () => {
  const text = `[
  {"a": "x ] } \\" \\\\", "b": [1, {"c": null}]},
  {
    "d": "\\\\\\""
  },
  7, "s", true
]
`;
  it("splits an array into its elements' text, with line and ordinal", async () => {
    const els = await elements(text);
    expect(els.map((e) => [e.line, e.record])).toEqual([
      [2, 1],
      [3, 2],
      [6, 3],
      [6, 4],
      [6, 5],
    ]);
    expect(els.map((e) => JSON.parse(e.text))).toEqual(JSON.parse(text));
  });

  it("gives the same elements however the text is split into chunks", async () => {
    const whole = await elements(text);
    for (const size of [1, 2, 3, 7]) expect(await elements(text, size)).toEqual(whole);
  });

  it("accepts an empty array and surrounding whitespace", async () => {
    expect(await elements("  [ ]  \n")).toEqual([]);
  });

  it("refuses an array that is cut off inside a record", async () => {
    const e = await failure('[\n{"a": 1},\n{"a": "cut');
    expect(e.message).toBe("the JSON ends early at line 3: record 2 is incomplete");
    expect(e.line).toBe(3);
  });

  it("refuses an array that is never closed", async () => {
    expect((await failure('[{"a": 1},\n')).message).toBe(
      "the JSON ends early at line 2: the array is not closed with ]",
    );
  });

  it("refuses a trailing comma, a missing comma and text after the array", async () => {
    expect((await failure('[{"a": 1},\n]')).message).toBe(
      "line 2: a comma before ] (JSON allows none)",
    );
    expect((await failure('[{"a": 1} {"a": 2}]')).message).toBe(
      'line 1: expected , or ] after record 1 but found "{"',
    );
    expect((await failure('[{"a": 1}]\nmore')).message).toBe(
      "line 2: unexpected text after the end of the JSON array",
    );
  });
});

import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { ImportError } from "./errors";
import { fieldPath, flag, tagList, timestamp, validate, winner } from "./fields";
import { parseWinner } from "./winner";

const at = { line: 4, record: 3, by: "line" as const };

function refusal(schema: z.ZodType, value: unknown): ImportError {
  try {
    validate(schema, value, at);
  } catch (e) {
    return e as ImportError;
  }
  throw new Error("expected an ImportError");
}

describe("fields", () => {
  it("reads tags from a list, a ; or | separated cell, or a JSON array in a cell", () => {
    const tags = z.object({ tags: tagList });
    expect(validate(tags, { tags: ["a", " b "] }, at)).toEqual({ tags: ["a", "b"] });
    expect(validate(tags, { tags: "math; algebra ;" }, at)).toEqual({ tags: ["math", "algebra"] });
    expect(validate(tags, { tags: "x|y" }, at)).toEqual({ tags: ["x", "y"] });
    expect(validate(tags, { tags: '["p, q", "r"]' }, at)).toEqual({ tags: ["p, q", "r"] });
    expect(validate(tags, { tags: "" }, at)).toEqual({});
    expect(validate(tags, { tags: null }, at)).toEqual({});
    expect(refusal(tags, { tags: "[broken" }).message).toBe(
      'line 4, field "tags": must be a list, not the text "[broken"',
    );
    expect(refusal(tags, { tags: ["ok", ""] }).message).toBe(
      'line 4, field "tags[1]": a tag is empty',
    );
  });

  it("reads FastChat timestamps in seconds, milliseconds or ISO form, as milliseconds", () => {
    const t = z.object({ tstamp: timestamp });
    expect(validate(t, { tstamp: 1682351591.1322 }, at)).toEqual({ tstamp: 1682351591132 });
    expect(validate(t, { tstamp: "1682351591" }, at)).toEqual({ tstamp: 1682351591000 });
    expect(validate(t, { tstamp: 1682351591132 }, at)).toEqual({ tstamp: 1682351591132 });
    expect(validate(t, { tstamp: "2023-04-24T15:53:11.132Z" }, at)).toEqual({
      tstamp: 1682351591132,
    });
    expect(refusal(t, { tstamp: true }).message).toBe(
      'line 4, field "tstamp": must be text or a number, not boolean true',
    );
  });

  it("reads booleans written as text", () => {
    const f = z.object({ anony: flag });
    expect(validate(f, { anony: "TRUE" }, at)).toEqual({ anony: true });
    expect(validate(f, { anony: "0" }, at)).toEqual({ anony: false });
    expect(refusal(f, { anony: "maybe" }).message).toBe(
      'line 4, field "anony": must be true or false, not the text "maybe"',
    );
  });

  it("maps both outcome vocabularies and names the valid ones", () => {
    const w = z.object({ winner });
    expect(
      ["model_a", "model_b", "tie", "tie (bothbad)", " Model_A ", "bothbad"].map(parseWinner),
    ).toEqual(["a", "b", "tie", "bothbad", "a", "bothbad"]);
    expect(parseWinner("constructor")).toBeUndefined();
    expect(refusal(w, { winner: "modelx" }).message).toBe(
      'line 4, field "winner": "modelx" is not one of model_a, model_b, tie, tie (bothbad)',
    );
    expect(refusal(w, { winner: 1 }).message).toBe(
      'line 4, field "winner": must be text, not number 1',
    );
  });

  it("writes field paths readably", () => {
    expect(fieldPath(["responses", "gpt-4"])).toBe("responses.gpt-4");
    expect(fieldPath(["turns", 1])).toBe("turns[1]");
    expect(fieldPath(["responses", "a.b c"])).toBe('responses["a.b c"]');
  });
});

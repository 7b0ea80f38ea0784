import { describe, expect, it } from "vitest";
import { detectFormat, formatFromFields } from "./detect";

describe("formatFromFields", () => {
  it("recognises each format by the fields it cannot do without", () => {
    expect(formatFromFields(["id", "prompt", "responses"])).toBe("prompt-set");
    expect(formatFromFields(["turns", "responses", "tags"])).toBe("prompt-set");
    expect(formatFromFields(["prompt_id", "prompt", "model", "response", "tags"])).toBe(
      "response-rows",
    );
    expect(
      formatFromFields([
        "arena_idx",
        "model_a",
        "model_b",
        "winner",
        "prompt",
        "response_a",
        "response_b",
      ]),
    ).toBe("battles");
    expect(formatFromFields(["model_a", "model_b", "prompt", "response_a", "response_b"])).toBe(
      "battles",
    );
    expect(formatFromFields(["arena_idx", "model_a", "model_b", "winner"])).toBe("votes");
    expect(formatFromFields(["model_a", "model_b", "winner", "judge", "tstamp", "anony"])).toBe(
      "votes",
    );
    expect(
      formatFromFields(["model_a", "model_b", "winner", "conversation_a", "conversation_b"]),
    ).toBe("battles");
    // some text fields are enough: the missing ones are then reported as missing, not ignored
    expect(formatFromFields(["model_a", "model_b", "winner", "prompt", "respons_a"])).toBe(
      "battles",
    );
    expect(formatFromFields(["responses"])).toBe("prompt-set");
    expect(formatFromFields(["model", "prompt", "answer"])).toBe("response-rows");
    expect(formatFromFields(["model_a", "model_b"])).toBeNull();
    expect(formatFromFields(["question", "answer"])).toBeNull();
  });
});

describe("detectFormat", () => {
  it("reads the first record of each container", () => {
    expect(detectFormat('{"prompt": "p", "responses": {"m": "r"}}\n{"prompt')).toBe("prompt-set");
    expect(detectFormat('\uFEFF  [\n  {"prompt": "p", "model": "m", "response": "r"},\n  {')).toBe(
      "response-rows",
    );
    expect(detectFormat("prompt,model,response\np,m,r\n")).toBe("response-rows");
    expect(detectFormat("Model_A, Model_B ,Winner\r\n")).toBe("votes");
    expect(
      detectFormat('{"model_a":"a","model_b":"b","prompt":"p","response_a":"x","response_b":"y"}'),
    ).toBe("battles");
  });

  it("returns null when the head does not show the format", () => {
    expect(detectFormat("")).toBeNull();
    expect(detectFormat("   ")).toBeNull();
    expect(detectFormat('[{"model_a": "a", "model_b": "b", "win')).toBeNull();
    expect(detectFormat("hello world")).toBeNull();
  });

  it("lets a .csv or .jsonl name decide the container", () => {
    expect(detectFormat('{"model_a":"a","model_b":"b","winner":"tie"}', "votes.csv")).toBeNull();
    expect(detectFormat('{"model_a":"a","model_b":"b","winner":"tie"}', "votes.jsonl")).toBe(
      "votes",
    );
  });
});

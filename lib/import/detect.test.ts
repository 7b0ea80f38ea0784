import { describe, expect, it } from "vitest";
import { formatFromFields } from "./detect";

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

/**
 * Which format a file is in, from the field names of its first record (the CSV header or the
 * first object's keys). The rules look for the fields each format cannot do without, most
 * specific first: a battles record also has what a votes record has.
 */
import { ImportError } from "./errors";
import type { ImportFormat } from "./types";

export function formatFromFields(fields: Iterable<string>): ImportFormat | null {
  const has = new Set(fields);
  const any = (...names: string[]) => names.some((n) => has.has(n));
  // a record that has some of a format's text fields is read as that format, so a typo in
  // another field is reported as missing rather than the text being silently dropped
  if (has.has("responses")) return "prompt-set";
  if (has.has("model_a") && has.has("model_b")) {
    if (any("prompt", "response_a", "response_b", "conversation_a", "conversation_b")) {
      return "battles";
    }
    if (has.has("winner")) return "votes";
  }
  if (has.has("model") && any("response", "prompt")) return "response-rows";
  return null;
}

export const EXPECTED_FORMATS =
  "prompt-set (prompt or turns, responses), response-rows (prompt, model, response), " +
  "battles (model_a, model_b, prompt, response_a, response_b, or conversation_a, conversation_b) " +
  "or votes (model_a, model_b, winner)";

export function unknownFormat(fields: readonly string[], csv = false): ImportError {
  const named = fields.filter((f) => f !== "");
  const what = csv ? "the CSV header has columns" : "the first record has fields";
  const seen = named.length > 0 ? `${what} ${named.join(", ")}` : `${what}: none`;
  return new ImportError(
    `could not recognise the format: expected one of ${EXPECTED_FORMATS}; ${seen}`,
    { code: "unknown_format", line: 1, record: 1 },
  );
}

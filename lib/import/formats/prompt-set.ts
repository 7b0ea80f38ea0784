/**
 * Format 1, `prompt-set`: one prompt per record with every model's response, validated by
 * the shared `promptRecordSchema` (lib/import/prompt-set.ts). JSON only: `responses` is a map.
 */
import { digest, SeenSet } from "../digest";
import { validate } from "../fields";
import { promptRecordSchema, promptRecordToItem } from "../prompt-set";
import type { PromptItem } from "../types";
import type { FormatSpec } from "./types";

export const promptSetFormat: FormatSpec = {
  format: "prompt-set",
  collector() {
    let items: PromptItem[] = [];
    const seen = new SeenSet();
    let skipped = 0;
    return {
      get pending() {
        return items.length;
      },
      drain() {
        const batch = { items, votes: [] };
        items = [];
        return batch;
      },
      add({ value, at, source }) {
        const item = promptRecordToItem(validate(promptRecordSchema, value, at));
        if (seen.firstTime(digest(source))) items.push(item);
        else skipped++;
      },
      finish: () => ({ items, votes: [], skipped }),
    };
  },
};

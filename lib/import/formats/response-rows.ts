/**
 * Format 2, `response-rows`: one model's response per row. Rows are grouped into prompts by
 * `prompt_id` when the row has one, else by the prompt's text, keeping the order in which
 * prompts first appear. Within a prompt a model may answer once: the same answer again is a
 * duplicate row (skipped), a different one is a contradiction the admin must resolve.
 */
import { z } from "zod";
import { normalizeText } from "../content-hash";
import { recordError } from "../errors";
import { modelName, optionalId, optionalText, requiredText, tagList, validate } from "../fields";
import type { PromptItem } from "../types";
import type { FormatSpec } from "./types";

const responseRow = z.object({
  prompt_id: optionalId,
  prompt: requiredText("prompt"),
  model: modelName,
  response: requiredText("response"),
  tags: tagList,
  language: optionalText(20),
});

interface Group {
  item: PromptItem;
  /** normalized prompt text and the line it came from, to catch one id used for two prompts */
  prompt: string;
  line: number;
  /** model → index in item.responses and the line of that response */
  models: Map<string, { index: number; line: number }>;
  tags?: Set<string>;
}

export const responseRowsFormat: FormatSpec = {
  format: "response-rows",
  csvColumns: ["prompt", "model", "response"],
  collector() {
    const groups = new Map<string, Group>();
    const items: PromptItem[] = [];
    let skipped = 0;
    return {
      get pending() {
        return items.length;
      },
      add({ value, at }) {
        const r = validate(responseRow, value, at);
        const prompt = normalizeText(r.prompt);
        // the two key spaces cannot collide: ids and texts get different prefixes
        const key = r.prompt_id === undefined ? `t:${prompt}` : `i:${r.prompt_id}`;
        let group = groups.get(key);
        if (group === undefined) {
          const item: PromptItem = { turns: [r.prompt], responses: [] };
          if (r.prompt_id !== undefined) item.externalId = r.prompt_id;
          if (r.language !== undefined) item.language = r.language;
          group = { item, prompt, line: at.line, models: new Map() };
          groups.set(key, group);
          items.push(item);
        } else if (group.prompt !== prompt) {
          throw recordError(
            at,
            `prompt_id ${JSON.stringify(r.prompt_id)} was given a different prompt on line ${group.line}`,
            "prompt",
          );
        }
        if (r.tags !== undefined && r.tags.length > 0) {
          group.tags ??= new Set(group.item.tags);
          for (const t of r.tags) group.tags.add(t);
          group.item.tags = [...group.tags];
        }
        const known = group.models.get(r.model);
        if (known !== undefined) {
          if (group.item.responses[known.index]?.text === r.response) {
            skipped++;
            return;
          }
          throw recordError(
            at,
            `model ${JSON.stringify(r.model)} already has a different response to this prompt (line ${known.line})`,
            "response",
          );
        }
        group.models.set(r.model, { index: group.item.responses.length, line: at.line });
        group.item.responses.push({ model: r.model, text: r.response });
      },
      finish: () => ({ items, votes: [], skipped }),
    };
  },
};

/**
 * Format 3, `battles`: one prompt and two models' responses per record, as in FastChat's
 * battles with text (`../shared/data/lmsys-2023-en-battles-with-text.jsonl`). Each record
 * becomes one item with two responses (the writer merges items with the same prompt by
 * content hash); with `votes`, its `winner` also becomes a vote pointing at that item.
 * FastChat's `conversation_a`/`conversation_b` stand in for the text when `prompt` is absent
 * (see conversation.ts). Other fields (arena_idx, question_id, …) are ignored.
 */
import { z } from "zod";
import { digest, SeenSet } from "../digest";
import { fastChatCategories } from "../fastchat-categories";
import { modelName, optionalText, requiredText, tagList, validate } from "../fields";
import type { HistoricalVote, PromptItem } from "../types";
import { withTextFromConversations } from "./conversation";
import type { FormatSpec } from "./types";
import { checkDistinctModels, toVote, type VoteFields, voteShape } from "./vote-fields";

const textShape = {
  model_a: modelName,
  model_b: modelName,
  prompt: requiredText("prompt"),
  response_a: requiredText("response"),
  response_b: requiredText("response"),
  language: optionalText(40),
  tags: tagList,
  // An export's categories (ours, or FastChat's category_tag) become the prompt's tags, so a
  // re-imported battle lands in the same category views.
  categories: tagList,
  category_tag: z.unknown().optional(),
};
const battleText = z.object(textShape);
// with votes the vote fields must be valid too; without, a bad `winner` is not our business
const battleWithVote = z.object({ ...textShape, ...voteShape });

export const battlesFormat: FormatSpec = {
  format: "battles",
  csvColumns: ["model_a", "model_b", "prompt", "response_a", "response_b"],
  collector({ votes: withVotes }) {
    let items: PromptItem[] = [];
    let votes: HistoricalVote[] = [];
    const seen = new SeenSet();
    let skipped = 0;
    return {
      get pending() {
        return items.length + votes.length;
      },
      // a record's vote points at the item of the same record, so it lands in the same batch
      drain() {
        const batch = { items, votes };
        items = [];
        votes = [];
        return batch;
      },
      add({ value, at, source }) {
        let r: z.output<typeof battleText>;
        let vote: VoteFields | undefined;
        const record = withTextFromConversations(value, at);
        if (withVotes) {
          const full = validate(battleWithVote, record, at);
          r = full;
          vote = full;
        } else {
          r = validate(battleText, record, at);
        }
        checkDistinctModels(r.model_a, r.model_b, at);
        const fingerprint = digest(source);
        if (!seen.firstTime(fingerprint)) {
          skipped++;
          return;
        }
        const item: PromptItem = {
          turns: [r.prompt],
          responses: [
            { model: r.model_a, text: r.response_a },
            { model: r.model_b, text: r.response_b },
          ],
        };
        if (r.language !== undefined) item.language = r.language;
        const tags = [...(r.tags ?? []), ...(r.categories ?? fastChatCategories(r.category_tag))];
        if (tags.length > 0) item.tags = [...new Set(tags)];
        items.push(item);
        if (vote !== undefined) {
          votes.push(toVote(r.model_a, r.model_b, vote, fingerprint, items.length - 1));
        }
      },
      finish: () => ({ items, votes, skipped }),
    };
  },
};

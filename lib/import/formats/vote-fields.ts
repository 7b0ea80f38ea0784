/** The fields a FastChat vote record carries, shared by the `battles` and `votes` formats. */
import { z } from "zod";
import { type Position, recordError } from "../errors";
import { fastChatCategories } from "../fastchat-categories";
import { flag, optionalText, tagList, timestamp, winner } from "../fields";
import type { HistoricalVote } from "../types";

export const voteShape = {
  winner,
  tstamp: timestamp,
  judge: optionalText(200),
  language: optionalText(40),
  anony: flag,
  // this app's export marks votes that do not count; a re-import must keep them not counting
  excluded: flag,
  identity_leak: flag,
  categories: tagList,
  category_tag: z.unknown().optional(),
};

const voteFields = z.object(voteShape);
export type VoteFields = z.output<typeof voteFields>;

/** A battle between a model and itself says nothing about either: refuse the file. */
export function checkDistinctModels(modelA: string, modelB: string, at: Position): void {
  if (modelA === modelB) {
    throw recordError(at, `is the same model as model_a (${JSON.stringify(modelA)})`, "model_b");
  }
}

export function toVote(
  modelA: string,
  modelB: string,
  fields: VoteFields,
  key: string,
  item?: number,
): HistoricalVote {
  const categories = fields.categories ?? fastChatCategories(fields.category_tag);
  const vote: HistoricalVote = { modelA, modelB, winner: fields.winner, key };
  // only the fields the record has: no `undefined` keys in the output
  if (fields.tstamp !== undefined) vote.tstamp = fields.tstamp;
  if (fields.judge !== undefined) vote.judge = fields.judge;
  if (fields.language !== undefined) vote.language = fields.language;
  if (fields.anony !== undefined) vote.anony = fields.anony;
  if (fields.excluded !== undefined) vote.excluded = fields.excluded;
  if (fields.identity_leak !== undefined) vote.identityLeak = fields.identity_leak;
  if (item !== undefined) vote.item = item;
  if (categories.length > 0) vote.categories = categories;
  return vote;
}

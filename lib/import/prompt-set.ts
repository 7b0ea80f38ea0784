import { z } from "zod";
import { httpLink } from "@/lib/render/external-link";
import type { ModelInfo, PromptItem } from "./types";

const modelSlug = z
  .string()
  .trim()
  .min(1, "model name is empty")
  .max(100, "model name is longer than 100 characters");

/** Format 1: one prompt per record, with every model's response to it. */
export const promptRecordSchema = z
  .object({
    id: z.union([z.string(), z.number()]).optional(),
    prompt: z.string().trim().min(1, "prompt is empty").optional(),
    turns: z.array(z.string().trim().min(1, "turn is empty")).min(1).optional(),
    tags: z.array(z.string().trim().min(1).max(40)).max(20).optional(),
    language: z.string().trim().min(2).max(20).optional(),
    responses: z.record(modelSlug, z.string().trim().min(1, "response is empty")),
  })
  .refine((r) => r.prompt !== undefined || r.turns !== undefined, {
    message: "a record needs `prompt` or `turns`",
    path: ["prompt"],
  });

export type PromptRecord = z.infer<typeof promptRecordSchema>;

export const modelInfoSchema = z.object({
  slug: modelSlug,
  displayName: z.string().trim().min(1).max(100),
  organization: z.string().trim().max(100).default(""),
  license: z.string().trim().max(100).default(""),
  link: httpLink().nullish(),
});

export function promptRecordToItem(record: PromptRecord): PromptItem {
  return {
    externalId: record.id === undefined ? undefined : String(record.id),
    turns: record.turns ?? [record.prompt as string],
    language: record.language,
    tags: record.tags,
    responses: Object.entries(record.responses).map(([model, text]) => ({ model, text })),
  };
}

export function parseModelInfos(value: unknown): ModelInfo[] {
  return z.array(modelInfoSchema).parse(value);
}

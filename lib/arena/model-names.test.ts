import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { execute, rows } from "@/db/rows";
import { testDb } from "@/tests/helpers/db";
import { ensureModels } from "./catalog";
import { modelDisplayName, modelOrganization } from "./model-names";

/** What each model of the 2023 Chatbot Arena votes should be called, and by whom it was made. */
const EXPECTED: Record<string, [name: string, organization: string]> = {
  "gpt-4": ["GPT-4", "OpenAI"],
  "gpt-3.5-turbo": ["GPT-3.5 Turbo", "OpenAI"],
  "claude-v1": ["Claude v1", "Anthropic"],
  "claude-instant-v1": ["Claude Instant v1", "Anthropic"],
  "palm-2": ["PaLM 2", "Google"],
  "vicuna-13b": ["Vicuna 13B", "LMSYS"],
  "vicuna-7b": ["Vicuna 7B", "LMSYS"],
  "fastchat-t5-3b": ["FastChat-T5 3B", "LMSYS"],
  "koala-13b": ["Koala 13B", "BAIR"],
  "alpaca-13b": ["Alpaca 13B", "Stanford"],
  "chatglm-6b": ["ChatGLM-6B", "Tsinghua"],
  "oasst-pythia-12b": ["OpenAssistant Pythia 12B", "LAION"],
  "stablelm-tuned-alpha-7b": ["StableLM Tuned Alpha 7B", "Stability AI"],
  "dolly-v2-12b": ["Dolly V2 12B", "Databricks"],
  "llama-13b": ["LLaMA 13B", "Meta"],
  "mpt-7b-chat": ["MPT-7B Chat", "MosaicML"],
  "RWKV-4-Raven-14B": ["RWKV-4 Raven 14B", "RWKV"],
  "guanaco-33b": ["Guanaco 33B", "UW"],
  "wizardlm-13b": ["WizardLM 13B", "Microsoft"],
  "gpt4all-13b-snoozy": ["GPT4All 13B Snoozy", "Nomic AI"],
};

const VOTES = path.resolve("../shared/data/lmsys-2023-en-votes.csv");

describe("model names from slugs", () => {
  it.skipIf(!fs.existsSync(VOTES))("names every model of the real 2023 votes", () => {
    const slugs = new Set<string>();
    for (const line of fs.readFileSync(VOTES, "utf8").split("\n").slice(1)) {
      const [, a, b] = line.split(",");
      if (a && b) slugs.add(a).add(b);
    }
    expect(slugs.size).toBe(20);
    const got = Object.fromEntries(
      [...slugs].map((s) => [s, [modelDisplayName(s), modelOrganization(s)]]),
    );
    expect(got).toEqual(EXPECTED);
  });

  it("names the later families as their makers write them", () => {
    const cases: Record<string, [string, string]> = {
      "llama-2-70b-chat": ["Llama 2 70B Chat", "Meta"],
      "meta-llama/Llama-3.1-8B-Instruct": ["Llama 3.1 8B Instruct", "Meta"],
      "mistral-7b-instruct-v0.2": ["Mistral 7B Instruct v0.2", "Mistral AI"],
      "mixtral-8x7b-instruct": ["Mixtral 8x7B Instruct", "Mistral AI"],
      "gemini-pro": ["Gemini Pro", "Google"],
      "gemma-2-9b-it": ["Gemma 2 9B IT", "Google"],
      "qwen1.5-72b-chat": ["Qwen1.5 72B Chat", "Alibaba"],
      "yi-34b-chat": ["Yi 34B Chat", "01.AI"],
      "deepseek-v2": ["DeepSeek V2", "DeepSeek"],
      "phi-3-mini": ["Phi-3 Mini", "Microsoft"],
      "command-r": ["Command R", "Cohere"],
      "falcon-180b-chat": ["Falcon 180B Chat", "TII"],
      "chatglm2-6b": ["ChatGLM2-6B", "Tsinghua"],
      "gpt-4o-mini": ["GPT-4o Mini", "OpenAI"],
      "gpt-neox-20b": ["GPT-NeoX 20B", "EleutherAI"],
      "phind-codellama-34b": ["Phind Code Llama 34B", ""],
      "my-model_7b": ["My Model 7B", ""],
    };
    for (const [slug, [name, org]] of Object.entries(cases)) {
      expect([slug, modelDisplayName(slug), modelOrganization(slug)]).toEqual([slug, name, org]);
    }
  });

  it("creates an unknown model with them, and never renames one that exists", async () => {
    const db = await testDb();
    await ensureModels(db, [{ slug: "oasst-pythia-12b" }]);
    const row = async () =>
      (
        await rows(
          db,
          sql`select display_name, organization from models where slug = ${"oasst-pythia-12b"}`,
        )
      )[0];
    expect(await row()).toEqual({
      display_name: "OpenAssistant Pythia 12B",
      organization: "LAION",
    });
    await execute(db, sql`update models set display_name = 'Pythia (mine)', organization = ''`);
    expect((await ensureModels(db, [{ slug: "oasst-pythia-12b" }])).created).toBe(0);
    expect(await row()).toEqual({ display_name: "Pythia (mine)", organization: "" });
  });
});

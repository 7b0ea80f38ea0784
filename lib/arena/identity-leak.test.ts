import { describe, expect, it } from "vitest";
import { IdentityLeakDetector } from "./identity-leak";

const MODELS = [
  { slug: "aurora-large", displayName: "Aurora Large", organization: "Northwind AI" },
  { slug: "hanlin-chat", displayName: "翰林", organization: "Hanlin AI" },
];

describe("IdentityLeakDetector", () => {
  const d = new IdentityLeakDetector(MODELS, ["Acme Bot"]);

  it("flags FastChat's identity words, model names, organizations and extra words, saying where", () => {
    expect(d.check({ prompt: "hi", a: "I am ChatGPT, made by OpenAI.", b: "Hello" })).toEqual({
      leak: true,
      reason: '"chatgpt", "openai" in response A',
    });
    expect(d.check({ prompt: "Are you Aurora Large?", a: "x", b: "y" }).reason).toBe(
      '"aurora large" in the prompt',
    );
    expect(d.check({ prompt: "q", a: "x", b: "Trained at Northwind AI" }).reason).toBe(
      '"northwind ai" in response B',
    );
    expect(d.check({ prompt: "q", a: "aurora-large here", b: "y" }).leak).toBe(true);
    expect(d.check({ prompt: "q", a: "我是翰林", b: "y" }).leak).toBe(true);
    expect(d.check({ prompt: "q", a: "I'm acme bot", b: "y" }).leak).toBe(true);
    expect(d.check({ prompt: "q", a: "GPT-4 is a model", b: "y" }).reason).toBe(
      '"gpt-4" in response A',
    );
  });

  it("does not flag words inside other words or clean text", () => {
    expect(
      d.check({ prompt: "Describe a palmtree and the bards of old", a: "Opal", b: "llamas?" }).leak,
    ).toBe(false);
    expect(d.check({ prompt: "What is 2+2?", a: "4", b: "Four." }).leak).toBe(false);
  });
});

/**
 * FastChat's battle records carry their text as `conversation_a` / `conversation_b`
 * (`[{role: "user", content}, {role: "assistant", content}, …]`) rather than `prompt`,
 * `response_a`, `response_b`: so do `chatbot_arena_conversations` on Hugging Face and this
 * app's own FastChat export. An item holds one answer per model, so a record contributes its
 * first exchange: the first user message and each side's first reply to it.
 */
import { z } from "zod";
import { type Position, recordError } from "../errors";
import { validate } from "../fields";

const conversation = z.array(z.object({ role: z.string(), content: z.string() }));
const conversations = z.object({ conversation_a: conversation, conversation_b: conversation });

type Message = z.output<typeof conversation>[number];

function firstExchange(messages: Message[]): { prompt?: string; reply?: string } {
  const u = messages.findIndex((m) => m.role === "user");
  if (u < 0) return {};
  const reply = messages.slice(u + 1).find((m) => m.role === "assistant");
  return { prompt: messages[u]?.content, reply: reply?.content };
}

/**
 * The record with `prompt`, `response_a` and `response_b` taken from its conversations when it
 * has conversations and no `prompt`; otherwise the record unchanged.
 */
export function withTextFromConversations(
  value: Record<string, unknown>,
  at: Position,
): Record<string, unknown> {
  if (value.prompt !== undefined) return value;
  if (value.conversation_a === undefined && value.conversation_b === undefined) return value;
  const c = validate(conversations, value, at);
  const a = firstExchange(c.conversation_a);
  const b = firstExchange(c.conversation_b);
  for (const [side, x] of [
    ["conversation_a", a],
    ["conversation_b", b],
  ] as const) {
    if (x.prompt === undefined) throw recordError(at, "has no user message", side);
    if (x.reply === undefined) throw recordError(at, "has no assistant reply", side);
  }
  if (a.prompt?.trim() !== b.prompt?.trim()) {
    throw recordError(
      at,
      "starts with a different user message than conversation_a",
      "conversation_b",
    );
  }
  return { ...value, prompt: a.prompt, response_a: a.reply, response_b: b.reply };
}

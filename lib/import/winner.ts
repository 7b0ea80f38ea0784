/**
 * FastChat's battle outcome vocabulary and ours, in one place. FastChat writes
 * `model_a`, `model_b`, `tie`, `tie (bothbad)`; the app stores `a`, `b`, `tie`, `bothbad`.
 */

import type { Winner } from "@/lib/winner";
import { WINNERS as FASTCHAT_WINNERS, type FastChatWinner } from "./fastchat-votes";

// the vocabulary itself is fastchat-votes.ts's (the ranking CLI's reader); the mapping is here
export { FASTCHAT_WINNERS, type FastChatWinner };

const TO_WINNER = new Map<string, Winner>(
  Object.entries({
    model_a: "a",
    model_b: "b",
    tie: "tie",
    "tie (bothbad)": "bothbad",
    // the app's own words, so a file written with them reads back too
    a: "a",
    b: "b",
    bothbad: "bothbad",
  } satisfies Record<string, Winner>),
);

const TO_FASTCHAT: Record<Winner, FastChatWinner> = {
  a: "model_a",
  b: "model_b",
  tie: "tie",
  bothbad: "tie (bothbad)",
};

/** `model_a` → `a`, … (case and surrounding spaces ignored); undefined if not an outcome. */
export function parseWinner(value: string): Winner | undefined {
  return TO_WINNER.get(value) ?? TO_WINNER.get(value.trim().toLowerCase());
}

export function toFastChatWinner(winner: Winner): FastChatWinner {
  return TO_FASTCHAT[winner];
}

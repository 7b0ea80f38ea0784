/**
 * Reading an outcome as a file writes it: FastChat's words (`model_a`, `model_b`, `tie`,
 * `tie (bothbad)`) or the app's own (`a`, `b`, `tie`, `bothbad`). The spellings themselves are
 * lib/winner.ts's table.
 */
import { FASTCHAT_WINNERS, WINNER, WINNERS, type Winner } from "@/lib/winner";

export { FASTCHAT_WINNERS };

const TO_WINNER = new Map<string, Winner>(
  WINNERS.flatMap((w): [string, Winner][] => [
    [WINNER[w].fastChat, w],
    // the app's own words, so a file written with them reads back too
    [w, w],
  ]),
);

/** `model_a` → `a`, … (case and surrounding spaces ignored); undefined if not an outcome. */
export function parseWinner(value: string): Winner | undefined {
  return TO_WINNER.get(value) ?? TO_WINNER.get(value.trim().toLowerCase());
}

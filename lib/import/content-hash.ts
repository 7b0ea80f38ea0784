import { createHash } from "node:crypto";

/** Whitespace and line-ending differences do not make a prompt new. */
export function normalizeText(text: string): string {
  return text.replace(/\r\n?/g, "\n").trim();
}

export function promptContentHash(turns: string[]): string {
  return createHash("sha256")
    .update(JSON.stringify(turns.map(normalizeText)))
    .digest("hex");
}

/**
 * A short fingerprint of a record as written, to notice an identical record met earlier in
 * the same file without keeping the record itself, and to give historical votes a stable key.
 * It hashes the source text rather than re-serializing the parsed value: JSON.stringify of
 * every record cost more than the whole rest of the parse.
 */
import { createHash } from "node:crypto";

export function digest(source: string | readonly string[]): string {
  const hash = createHash("sha1");
  if (typeof source === "string") hash.update(source.trim());
  else for (const cell of source) hash.update(cell).update("\u0000");
  return hash.digest("base64url");
}

/** Fingerprints seen so far; `firstTime` is true once per distinct value. */
export class SeenSet {
  private readonly seen = new Set<string>();

  firstTime(fingerprint: string): boolean {
    if (this.seen.has(fingerprint)) return false;
    this.seen.add(fingerprint);
    return true;
  }
}

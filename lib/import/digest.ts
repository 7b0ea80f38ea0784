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

/**
 * Fingerprints seen so far and how often, split by their first character into up to 64 maps.
 * One Map of a million keys rehashes all of them at once each time it doubles — ~170 ms at half
 * a million, holding the event loop mid-parse; 64 maps of a 64th each never hold it for long.
 */
class FingerprintCounts {
  private readonly shards = new Map<string, Map<string, number>>();

  /** How many times `fingerprint` was counted before this call, which counts it once more. */
  count(fingerprint: string): number {
    const key = fingerprint.charAt(0);
    let shard = this.shards.get(key);
    if (!shard) {
      shard = new Map();
      this.shards.set(key, shard);
    }
    const n = shard.get(fingerprint) ?? 0;
    shard.set(fingerprint, n + 1);
    return n;
  }
}

/** Fingerprints seen so far; `firstTime` is true once per distinct value. */
export class SeenSet {
  private readonly counts = new FingerprintCounts();

  firstTime(fingerprint: string): boolean {
    return this.counts.count(fingerprint) === 0;
  }
}

/** `next` gives 0 for a fingerprint's first occurrence, 1 for its second, and so on. */
export class OccurrenceCounter {
  private readonly counts = new FingerprintCounts();

  next(fingerprint: string): number {
    return this.counts.count(fingerprint);
  }
}

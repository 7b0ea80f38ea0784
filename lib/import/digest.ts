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
 * Fingerprints seen so far and how often, in an open-addressing table of typed arrays keyed by
 * the first 96 bits of each fingerprint (two different records share them with a chance of
 * ~1e-17 in a file of a million): 16 bytes a record instead of ~100 for a Map of strings, so
 * a million-record file's fingerprints take ~32 MB, not a few hundred.
 */
class FingerprintCounts {
  private capacity = 1 << 12;
  private size = 0;
  private keys = new Uint32Array(3 * this.capacity);
  /** The count plus one; 0 marks an empty slot. */
  private counts = new Uint32Array(this.capacity);

  /** How many times `fingerprint` was counted before this call, which counts it once more. */
  count(fingerprint: string): number {
    const bytes = Buffer.from(fingerprint.slice(0, 16), "base64url");
    const k0 = bytes.readUInt32LE(0);
    const k1 = bytes.readUInt32LE(4);
    const k2 = bytes.readUInt32LE(8);
    if ((this.size + 1) * 2 > this.capacity) this.grow();
    const slot = this.find(k0, k1, k2);
    const n = this.counts[slot] as number;
    if (n === 0) {
      this.keys[3 * slot] = k0;
      this.keys[3 * slot + 1] = k1;
      this.keys[3 * slot + 2] = k2;
      this.size++;
    }
    this.counts[slot] = n + 1;
    return n;
  }

  /** The slot holding this key, or the empty one where it would go. */
  private find(k0: number, k1: number, k2: number): number {
    const mask = this.capacity - 1;
    let i = k0 & mask;
    for (;;) {
      if (
        this.counts[i] === 0 ||
        (this.keys[3 * i] === k0 && this.keys[3 * i + 1] === k1 && this.keys[3 * i + 2] === k2)
      )
        return i;
      i = (i + 1) & mask;
    }
  }

  private grow(): void {
    const { keys, counts } = this;
    this.capacity *= 2;
    this.keys = new Uint32Array(3 * this.capacity);
    this.counts = new Uint32Array(this.capacity);
    for (let i = 0; i < counts.length; i++) {
      const n = counts[i] as number;
      if (n === 0) continue;
      const k0 = keys[3 * i] as number;
      const k1 = keys[3 * i + 1] as number;
      const k2 = keys[3 * i + 2] as number;
      const slot = this.find(k0, k1, k2);
      this.keys[3 * slot] = k0;
      this.keys[3 * slot + 1] = k1;
      this.keys[3 * slot + 2] = k2;
      this.counts[slot] = n;
    }
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

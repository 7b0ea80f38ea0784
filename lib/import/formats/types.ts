import type { RawRecord } from "../records";
import type { HistoricalVote, ImportFormat, PromptItem } from "../types";

/** Takes a file's records one at a time (validating each) and builds the normalized output. */
export interface Collector {
  /** Throws ImportError if the record is invalid. */
  add(record: RawRecord): void;
  /**
   * Hands over, and forgets, what was collected since the last drain, so a large file streams
   * through in batches. Votes' `item` index into the batch's items. Only formats whose records
   * are final once added have it (response-rows groups rows across the whole file).
   */
  drain?(): CollectedBatch;
  /** What is left since the last drain (everything, without one); `skipped` over the whole file. */
  finish(): CollectedBatch & { skipped: number };
  /** Records (items plus votes) collected since the last drain. */
  readonly pending: number;
}

export interface CollectedBatch {
  items: PromptItem[];
  votes: HistoricalVote[];
}

export interface FormatSpec {
  format: ImportFormat;
  /** The columns a CSV header must have; undefined if the format cannot be written as CSV. */
  csvColumns?: readonly string[];
  collector(opts: { votes: boolean }): Collector;
}

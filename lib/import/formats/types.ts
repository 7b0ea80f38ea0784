import type { RawRecord } from "../records";
import type { HistoricalVote, ImportFormat, PromptItem } from "../types";

/** Takes a file's records one at a time (validating each) and builds the normalized output. */
export interface Collector {
  /** Throws ImportError if the record is invalid. */
  add(record: RawRecord): void;
  finish(): { items: PromptItem[]; votes: HistoricalVote[]; skipped: number };
}

export interface FormatSpec {
  format: ImportFormat;
  /** The columns a CSV header must have; undefined if the format cannot be written as CSV. */
  csvColumns?: readonly string[];
  collector(opts: { votes: boolean }): Collector;
}

/** What the import layer hands to the database writer. */
import type { Winner } from "@/lib/winner";
import type { Container } from "./records";

export type { Container } from "./records";

/** A model as a file describes it (the demo set's models.json); what is missing gets a default. */
export interface ModelInfo {
  slug: string;
  displayName?: string;
  organization?: string;
  license?: string;
  link?: string | null;
}

/** One prompt and the responses some models gave to it, as every importer produces them. */
export interface PromptItem {
  externalId?: string;
  turns: string[];
  language?: string;
  tags?: string[];
  responses: { model: string; text: string }[];
}

export const IMPORT_FORMATS = ["prompt-set", "response-rows", "battles", "votes"] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** A vote cast elsewhere (FastChat, another arena, an export of this one). */
export interface HistoricalVote {
  modelA: string;
  modelB: string;
  winner: Winner;
  /** When it was cast, in ms since the epoch (FastChat's `tstamp` is in seconds). */
  tstamp?: number;
  /** Who voted, as the file names them (FastChat: a pseudonym). */
  judge?: string;
  language?: string;
  /** FastChat's `anony`: false for battles where the voter knew the models. */
  anony?: boolean;
  /** From this app's export (`excluded`, `identity_leak`): the vote is kept but must not count. */
  excluded?: boolean;
  identityLeak?: boolean;
  /** Index into `ParsedImport.items` of the prompt and both responses (format `battles`); undefined for votes without text. */
  item?: number;
  /** From the record's `categories` (or FastChat's `category_tag`), when it has them. */
  categories?: string[];
  /**
   * Stable identity of the vote: a fingerprint of the record as written (the JSON text, or the
   * CSV cells), so the same record gives the same key in every file and every import, and a
   * writer can store it (e.g. in the battle id) to make re-imports add nothing. Identical
   * records within one `votes` file are distinct votes and get distinct keys (`…`, `….1`, …).
   */
  key: string;
}

export interface ParsedImport {
  format: ImportFormat;
  container: Container;
  /** Prompts with their responses, in file order, identical records removed. */
  items: PromptItem[];
  votes: HistoricalVote[];
  /** Records read (JSONL lines, CSV rows after the header, JSON array elements), skipped ones included. */
  records: number;
  /**
   * Records left out because an identical record (same text, or same CSV cells) came earlier
   * in the same file; for `response-rows`, a row repeating a model's response to a prompt.
   * Never counts `votes` records: repeated votes without text are separate votes.
   */
  skipped: number;
}

export interface ImportOptions {
  /** Default `auto`: from the first record's fields. */
  format?: ImportFormat | "auto";
  /** `battles`: also turn each record's `winner` into a vote. */
  votes?: boolean;
  /** Only its extension is used: `.csv`, `.jsonl`/`.ndjson` fix the container. */
  fileName?: string;
  /** Default 200 MB. */
  maxBytes?: number;
  /** The largest text one field of a record may hold, in UTF-8 bytes. Default 64 KiB. */
  maxTextBytes?: number;
}

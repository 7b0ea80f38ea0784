/** Every import format, by name. */
import type { ImportFormat } from "../types";
import { battlesFormat } from "./battles";
import { promptSetFormat } from "./prompt-set";
import { responseRowsFormat } from "./response-rows";
import type { FormatSpec } from "./types";
import { votesFormat } from "./votes";

export const FORMATS: Record<ImportFormat, FormatSpec> = {
  "prompt-set": promptSetFormat,
  "response-rows": responseRowsFormat,
  battles: battlesFormat,
  votes: votesFormat,
};

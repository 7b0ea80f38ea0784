/**
 * The largest single text (prompt, response, any field) a record may carry. Every text an
 * import brings in is rendered as markdown on the pages that draw it, on the server and in each
 * voter's browser, and markdown parsers are not linear on every input: one huge response could
 * stall every page that shows it. Checked on the raw record, before any format's schema, so
 * one rule covers every format and container and names the field as the file spells it.
 */
import { type Position, recordError } from "./errors";
import { fieldPath } from "./fields";
import { formatBytes } from "./text";

export const DEFAULT_MAX_TEXT_BYTES = 64 * 1024;

interface Pending {
  value: unknown;
  key: PropertyKey | undefined;
  parent: Pending | undefined;
}

function pathOf(node: Pending): PropertyKey[] {
  const path: PropertyKey[] = [];
  for (let n: Pending | undefined = node; n?.key !== undefined; n = n.parent) path.push(n.key);
  return path.reverse();
}

/** The UTF-8 length of `s` when it is above `max`; undefined otherwise. */
function bytesOver(s: string, max: number): number | undefined {
  // a UTF-16 code unit is 1 to 3 UTF-8 bytes: most strings need no counting
  if (s.length * 3 <= max) return undefined;
  const bytes = Buffer.byteLength(s, "utf8");
  return bytes > max ? bytes : undefined;
}

/**
 * Throws an ImportError naming the record and the field when any string in `value` is longer
 * than `maxBytes` in UTF-8. Iterative, so a deeply nested record cannot overflow the stack.
 */
export function checkTextSizes(value: unknown, at: Position, maxBytes: number): void {
  const stack: Pending[] = [{ value, key: undefined, parent: undefined }];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    const v = node.value;
    if (typeof v === "string") {
      const bytes = bytesOver(v, maxBytes);
      if (bytes === undefined) continue;
      const path = pathOf(node);
      const detail =
        `is ${formatBytes(bytes)}, more than the ${formatBytes(maxBytes)} an imported text may be ` +
        "(IMPORT_MAX_TEXT_BYTES)";
      throw path.length === 0 ? recordError(at, detail) : recordError(at, detail, fieldPath(path));
    }
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], key: i, parent: node });
    } else if (typeof v === "object" && v !== null) {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i] as string;
        stack.push({ value: (v as Record<string, unknown>)[key], key, parent: node });
      }
    }
  }
}

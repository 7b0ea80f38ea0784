/**
 * Bytes in, text out: the checks every format needs before any parsing, done once while the
 * upload streams (UTF-8 only, no NUL bytes, a size limit, the byte-order mark dropped), so a
 * binary or oversized file is refused after reading no more than the limit.
 */
import { ImportError } from "./errors";

export type ImportSource = AsyncIterable<Uint8Array | string> | string;

export const DEFAULT_MAX_BYTES = 200 * 1024 * 1024;

const BOM = "\uFEFF";

function tooLarge(maxBytes: number): ImportError {
  return new ImportError(`the file is larger than the limit of ${formatBytes(maxBytes)}`, {
    code: "too_large",
  });
}

function notText(hint = ""): ImportError {
  return new ImportError(`this is not a text file${hint}`, { code: "not_text" });
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round((n / 1024) * 10) / 10} KB`;
  return `${n} bytes`;
}

/** UTF-16 files are text, but not text we read: say so rather than just "not a text file". */
function utf16Hint(bytes: Uint8Array): string {
  const [b0, b1] = bytes;
  return (b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff)
    ? " (it looks like UTF-16: save it as UTF-8)"
    : "";
}

/** The text of the source, chunk by chunk, validated; throws ImportError as soon as a check fails. */
export async function* decodeSource(
  source: ImportSource,
  maxBytes = DEFAULT_MAX_BYTES,
): AsyncGenerator<string> {
  if (typeof source === "string") {
    if (source.length > maxBytes || Buffer.byteLength(source) > maxBytes) throw tooLarge(maxBytes);
    const text = source.startsWith(BOM) ? source.slice(1) : source;
    if (text.includes("\0")) throw notText();
    if (text) yield text;
    return;
  }
  // fatal: invalid UTF-8 throws instead of turning into U+FFFD; the decoder drops a leading BOM.
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let bytes = 0;
  let first = true;
  for await (const chunk of source) {
    let text: string;
    if (typeof chunk === "string") {
      bytes += Buffer.byteLength(chunk);
      text = chunk;
    } else {
      bytes += chunk.byteLength;
      if (bytes > maxBytes) throw tooLarge(maxBytes);
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        throw notText(first ? utf16Hint(chunk) : "");
      }
    }
    if (bytes > maxBytes) throw tooLarge(maxBytes);
    if (first && text.startsWith(BOM)) text = text.slice(1);
    if (text.includes("\0"))
      throw notText(first && typeof chunk !== "string" ? utf16Hint(chunk) : "");
    if (text) {
      first = false;
      yield text;
    }
  }
  let tail: string;
  try {
    tail = decoder.decode();
  } catch {
    throw notText(" (it ends inside a UTF-8 character)");
  }
  if (tail) yield tail;
}

/**
 * Reads until the first non-whitespace character, so the container can be chosen from it,
 * and hands back a stream that replays what was read. `first` is undefined for an empty file.
 */
export async function peekFirstChar(
  chunks: AsyncIterable<string>,
): Promise<{ first: string | undefined; text: AsyncGenerator<string> }> {
  const it = chunks[Symbol.asyncIterator]();
  const seen: string[] = [];
  let first: string | undefined;
  while (first === undefined) {
    const r = await it.next();
    if (r.done) break;
    seen.push(r.value);
    const m = /\S/.exec(r.value);
    if (m) first = m[0];
  }
  async function* replay(): AsyncGenerator<string> {
    try {
      yield* seen;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield r.value;
      }
    } finally {
      // closing the replay closes the source too (e.g. destroys the upload stream)
      await it.return?.();
    }
  }
  return { first, text: replay() };
}

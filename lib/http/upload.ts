import { once } from "node:events";
import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { finished } from "node:stream/promises";

/**
 * An upload read as a stream, with a way to read and throw away whatever the reader left.
 *
 * The import refuses a file at its first bad record and stops reading. Answering then, while
 * the client is still sending, makes the server close a connection with unread data on it, and
 * many clients (Node's fetch among them) then see a reset instead of the answer — so the route
 * first reads and discards the rest of the body, up to the import limit, and answers after.
 */
export interface Upload {
  /** The body's chunks; stopping early (return) leaves the rest unread, not cancelled. */
  source: AsyncIterable<Uint8Array>;
  /** Reads and discards what is left, up to `maxBytes` read in all; never throws. */
  discardRest(): Promise<void>;
}

export function upload(body: ReadableStream<Uint8Array>, maxBytes: number): Upload {
  const reader = body.getReader();
  let read = 0;
  let ended = false;
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        ended = true;
        return;
      }
      read += value.byteLength;
      yield value;
    }
  }
  return {
    source: chunks(),
    async discardRest() {
      try {
        while (!ended && read <= maxBytes) {
          const { done, value } = await reader.read();
          if (done) ended = true;
          else read += value.byteLength;
        }
        // more than the limit: stop here and let the connection go
        if (!ended) await reader.cancel();
      } catch {
        // the client went away: there is nothing left to discard
      }
    },
  };
}

/** An upload written to a temporary file, for an import's worker thread to read (twice). */
export interface SpooledFile {
  file: string;
  /** Deletes the file (and its folder); never throws. */
  remove(): Promise<void>;
}

/**
 * Writes `source` to a new temporary file, holding one chunk in memory at a time. Stops after
 * `maxBytes + 1` bytes: enough for the parser to refuse the file as too large, no more on disk.
 */
export async function spoolToTempFile(
  source: AsyncIterable<Uint8Array>,
  maxBytes: number,
): Promise<SpooledFile> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), "arena-import-"));
  const file = path.join(dir, "upload");
  const remove = () => fsp.rm(dir, { recursive: true, force: true }).catch(() => {});
  const out = fs.createWriteStream(file);
  try {
    let written = 0;
    for await (const chunk of source) {
      const room = maxBytes + 1 - written;
      const part = chunk.byteLength > room ? chunk.subarray(0, room) : chunk;
      written += part.byteLength;
      if (!out.write(part)) await once(out, "drain");
      if (written > maxBytes) break;
    }
    out.end();
    await finished(out);
  } catch (e) {
    out.destroy();
    await remove();
    throw e;
  }
  return { file, remove };
}

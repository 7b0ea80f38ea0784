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

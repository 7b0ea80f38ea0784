import { describe, expect, it } from "vitest";
import { upload } from "./upload";

/** A body of `n` chunks of 1 KB that records how far it was read and whether it was cancelled. */
function body(n: number) {
  const state = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (state.pulled === n) controller.close();
      else {
        state.pulled++;
        controller.enqueue(new Uint8Array(1024));
      }
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

async function readSome(source: AsyncIterable<Uint8Array>, chunks: number) {
  let i = 0;
  for await (const _ of source) if (++i === chunks) break; // stops early, as a refused import does
}

describe("upload", () => {
  it("leaves the rest unread when the reader stops, then discards it all", async () => {
    const { stream, state } = body(50);
    const u = upload(stream, 1024 * 1024);
    await readSome(u.source, 3);
    expect(state.cancelled).toBe(false);
    expect(state.pulled).toBeLessThan(10);
    await u.discardRest();
    expect(state.pulled).toBe(50);
    expect(state.cancelled).toBe(false);
  });

  it("stops discarding past the limit and cancels the rest", async () => {
    const { stream, state } = body(1000);
    const u = upload(stream, 10 * 1024);
    await readSome(u.source, 2);
    await u.discardRest();
    expect(state.pulled).toBeLessThan(20);
    expect(state.cancelled).toBe(true);
  });

  it("survives a client that goes away mid-discard", async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array(10));
        controller.error(new Error("aborted"));
      },
    });
    const u = upload(stream, 1024);
    await expect(u.discardRest()).resolves.toBeUndefined();
  });
});

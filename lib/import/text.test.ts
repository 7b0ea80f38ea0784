import { describe, expect, it } from "vitest";
import { ImportError } from "./errors";
import { decodeSource, peekFirstChar } from "./text";

async function* bytesInChunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function decode(source: Parameters<typeof decodeSource>[0], maxBytes?: number) {
  let out = "";
  for await (const t of decodeSource(source, maxBytes)) out += t;
  return out;
}

async function failure(source: Parameters<typeof decodeSource>[0], maxBytes?: number) {
  try {
    await decode(source, maxBytes);
  } catch (e) {
    if (e instanceof ImportError) return e;
    throw e;
  }
  throw new Error("expected an ImportError");
}

const utf8 = (s: string) => new TextEncoder().encode(s);

describe("decodeSource", () => {
  it("decodes UTF-8 split inside multi-byte characters", async () => {
    const text = "naïve café 数学 😀 done";
    for (const size of [1, 2, 3, 5])
      expect(await decode(bytesInChunks(utf8(text), size))).toBe(text);
  });

  it("drops a byte-order mark at the start only", async () => {
    expect(await decode(bytesInChunks(utf8("\uFEFFa\uFEFFb"), 1))).toBe("a\uFEFFb");
    expect(await decode("\uFEFFa,b")).toBe("a,b");
  });

  it("refuses NUL bytes and invalid UTF-8 as not text", async () => {
    expect((await failure(bytesInChunks(utf8("a\0b"), 4))).message).toBe("this is not a text file");
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    const e = await failure(bytesInChunks(png, 64));
    expect(e.message).toBe("this is not a text file");
    expect(e.code).toBe("not_text");
    expect((await failure("a\0b")).code).toBe("not_text");
  });

  it("says when a file is UTF-16", async () => {
    const utf16 = new Uint8Array([0xff, 0xfe, 0x61, 0x00, 0x62, 0x00]);
    expect((await failure(bytesInChunks(utf16, 64))).message).toBe(
      "this is not a text file (it looks like UTF-16: save it as UTF-8)",
    );
  });

  it("refuses a file cut inside a UTF-8 character", async () => {
    expect((await failure(bytesInChunks(utf8("ab€").subarray(0, 3), 64))).code).toBe("not_text");
  });

  it("refuses more than maxBytes as soon as the limit is passed", async () => {
    let read = 0;
    async function* endless(): AsyncGenerator<Uint8Array> {
      for (;;) {
        read++;
        yield utf8("x".repeat(1000));
      }
    }
    const e = await failure(endless(), 10_000);
    expect(e.message).toBe("the file is larger than the limit of 9.8 KB");
    expect(e.code).toBe("too_large");
    expect(read).toBe(11);
    expect((await failure("é".repeat(6), 11)).code).toBe("too_large"); // 12 bytes
  });
});

describe("peekFirstChar", () => {
  it("finds the first non-whitespace character and replays everything", async () => {
    async function* parts() {
      yield "  ";
      yield "\n ";
      yield " [1]";
      yield " tail";
    }
    const { first, text } = await peekFirstChar(parts());
    expect(first).toBe("[");
    let all = "";
    for await (const t of text) all += t;
    expect(all).toBe("  \n  [1] tail");
  });

  it("closes the source when the replay is closed early", async () => {
    let closed = false;
    async function* parts() {
      try {
        yield "a";
        yield "b";
        yield "c";
      } finally {
        closed = true;
      }
    }
    const { text } = await peekFirstChar(parts());
    await text.next();
    await text.return(undefined);
    expect(closed).toBe(true);
  });
});

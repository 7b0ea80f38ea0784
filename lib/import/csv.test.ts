import { describe, expect, it } from "vitest";
import { CsvScanner, csvRows } from "./csv";
import { ImportError } from "./errors";

async function* inChunks(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function rows(text: string, size = text.length || 1): Promise<[number, string[]][]> {
  const out: [number, string[]][] = [];
  for await (const r of csvRows(inChunks(text, size))) out.push([r.line, r.fields]);
  return out;
}

async function failure(text: string): Promise<ImportError> {
  try {
    await rows(text);
  } catch (e) {
    if (e instanceof ImportError) return e;
    throw e;
  }
  throw new Error("expected an ImportError");
}

describe("csvRows", () => {
  const tricky =
    'id,text,n\r\n1,"a, ""quoted"" value",x\r\n2,"two\nlines\r\nhere",\r\n\r\n3,,""\n4,plain "inch" mark,"end"';
  const expected: [number, string[]][] = [
    [1, ["id", "text", "n"]],
    [2, ["1", 'a, "quoted" value', "x"]],
    [3, ["2", "two\nlines\r\nhere", ""]],
    [7, ["3", "", ""]],
    [8, ["4", 'plain "inch" mark', "end"]],
  ];

  it("reads quoted fields, doubled quotes, newlines inside quotes and CRLF (RFC 4180)", async () => {
    expect(await rows(tricky)).toEqual(expected);
  });

  it("gives the same rows however the text is split into chunks", async () => {
    for (const size of [1, 2, 3, 5, 8, 13]) expect(await rows(tricky, size)).toEqual(expected);
  });

  it("handles empty fields, a trailing comma and a last line without newline", async () => {
    expect(await rows("a,b,c\n,,\nx,y,")).toEqual([
      [1, ["a", "b", "c"]],
      [2, ["", "", ""]],
      [3, ["x", "y", ""]],
    ]);
  });

  it("skips blank and whitespace-only lines but counts them", async () => {
    expect(await rows("a\n\n  \n\r\nb\n\n")).toEqual([
      [1, ["a"]],
      [5, ["b"]],
    ]);
  });

  it("keeps a quoted field that spans many chunks intact", async () => {
    const long = "x".repeat(100_000);
    const r = await rows(`a,b\n"${long}\n${long}",2\n`, 1000);
    expect(r[1]).toEqual([2, [`${long}\n${long}`, "2"]]);
  });

  it("refuses a quoted field that never closes, naming the line where it opens", async () => {
    const e = await failure('a,b\n1,2\n3,"never\nclosed\n');
    expect(e.message).toBe(
      "line 3: a quoted field opens here and never closes (the file ends inside it)",
    );
    expect(e.line).toBe(3);
  });

  it("refuses text after a closing quote", async () => {
    const e = await failure('a,b\n1,"x"y\n');
    expect(e.message).toBe(
      'line 2: unexpected "y" after a closing quote (a quote inside a quoted field is written "")',
    );
  });

  it("returns null from the scanner until a row is complete", () => {
    const s = new CsvScanner();
    s.push('a,"b');
    expect(s.next(false)).toBeNull();
    s.push('"\n');
    expect(s.next(false)).toEqual({ fields: ["a", "b"], line: 1 });
    expect(s.next(true)).toBeNull();
  });
});

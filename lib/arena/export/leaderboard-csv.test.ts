import { describe, expect, it } from "vitest";
import type { LeaderboardEntry, LeaderboardView } from "@/lib/arena/leaderboard";
import { CsvScanner } from "@/lib/import/csv";
import { leaderboardCsv } from "./leaderboard-csv";

function entry(over: Partial<LeaderboardEntry>): LeaderboardEntry {
  return {
    rank: 1,
    worstRank: 1,
    component: 0,
    delta: null,
    model: "m",
    displayName: "M",
    organization: "",
    license: "",
    link: null,
    rating: 1000,
    ciLower: 990,
    ciUpper: 1010,
    votes: 10,
    winRate: 0.5,
    provisional: false,
    deprecated: false,
    ciStatus: "estimated",
    ...over,
  };
}

function rows(csv: string): string[][] {
  const s = new CsvScanner();
  s.push(csv);
  const out: string[][] = [];
  for (let r = s.next(true); r !== null; r = s.next(true)) out.push(r.fields);
  return out;
}

describe("leaderboardCsv", () => {
  it("neutralises hostile names and keeps negative deltas and ratings as numbers", () => {
    const view = {
      rows: [
        entry({
          model: '=HYPERLINK("http://evil.example/?x","click")',
          displayName: "@SUM(1+1)",
          organization: "+cmd|' /C calc'!A0",
          license: "-MIT",
          delta: -3,
          rating: -12.345,
          ciLower: -20,
          ciUpper: Number.POSITIVE_INFINITY,
        }),
      ],
    } as unknown as LeaderboardView;
    const csv = leaderboardCsv(view);
    const [header, row] = rows(csv);
    expect(header?.slice(0, 3)).toEqual(["rank", "delta", "model"]);
    expect(row).toEqual([
      "1",
      "-3",
      `'=HYPERLINK("http://evil.example/?x","click")`,
      "'@SUM(1+1)",
      "'+cmd|' /C calc'!A0",
      "'-MIT",
      "-12.35",
      "-20.00",
      "",
      "10",
      "0.5000",
      "false",
      "false",
      "estimated",
      "1",
      "0",
    ]);
    expect(csv).toContain("\r\n1,-3,\"'=HYPERLINK(");
  });

  it("leaves the bounds of a too-few-votes interval empty instead of a fake ±0", () => {
    const view = {
      rows: [
        entry({
          rating: 1000,
          ciLower: 1000,
          ciUpper: 1000,
          votes: 3,
          provisional: true,
          ciStatus: "too-few-votes",
        }),
      ],
    } as unknown as LeaderboardView;
    const [header, row] = rows(leaderboardCsv(view));
    const at = (name: string) => row?.[header?.indexOf(name) ?? -1];
    expect(at("rating")).toBe("1000.00");
    expect([at("ci_lower"), at("ci_upper"), at("ci_status")]).toEqual(["", "", "too-few-votes"]);
  });

  it("ends each row with the rank spread's worst rank and the comparison component", () => {
    const view = {
      rows: [entry({ rank: 2, worstRank: 5 }), entry({ model: "apart", rank: 1, component: 1 })],
    } as unknown as LeaderboardView;
    const [header, ...body] = rows(leaderboardCsv(view));
    expect(header?.slice(-2)).toEqual(["worst_rank", "component"]);
    expect(body.map((r) => [r[0], ...r.slice(-2)])).toEqual([
      ["2", "5", "0"],
      ["1", "1", "1"],
    ]);
  });
});

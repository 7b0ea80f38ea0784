import { describe, expect, it } from "vitest";
import { isArenaError } from "@/lib/errors";
import { leaderboardMethod, leaderboardQuerySchema } from "./leaderboard-query";

const parse = (query: Record<string, string | undefined>) => {
  const { ci, reweight } = leaderboardQuerySchema.parse(query);
  return (fallback: "bootstrap" | "reweighted") => leaderboardMethod(ci, reweight, fallback);
};

describe("the leaderboard's method from ?ci= and ?reweight=", () => {
  it("takes the default view when neither is given", () => {
    expect(parse({})("bootstrap")).toBe("bootstrap");
    expect(parse({})("reweighted")).toBe("reweighted");
  });

  it("reweight=1 is the reweighted sandwich, with or without ci=sandwich", () => {
    for (const q of [
      { reweight: "1" },
      { reweight: "true", ci: "sandwich" },
      { ci: "reweighted" },
    ]) {
      expect(parse(q)("bootstrap")).toBe("reweighted");
    }
  });

  it("an explicit method or reweight=0 overrides a reweighted default", () => {
    expect(parse({ ci: "sandwich" })("reweighted")).toBe("sandwich");
    expect(parse({ ci: "bootstrap" })("reweighted")).toBe("bootstrap");
    expect(parse({ reweight: "0" })("reweighted")).toBe("bootstrap");
    expect(parse({ reweight: "0", ci: "sandwich" })("reweighted")).toBe("sandwich");
  });

  it("refuses contradictions as a bad request, and unknown values", () => {
    const contradictions: Record<string, string>[] = [
      { reweight: "1", ci: "bootstrap" },
      { reweight: "0", ci: "reweighted" },
    ];
    for (const q of contradictions) {
      let caught: unknown;
      try {
        parse(q)("bootstrap");
      } catch (e) {
        caught = e;
      }
      expect(isArenaError(caught) && caught.code).toBe("invalid_request");
    }
    expect(leaderboardQuerySchema.safeParse({ reweight: "yes" }).success).toBe(false);
    expect(leaderboardQuerySchema.safeParse({ ci: "jackknife" }).success).toBe(false);
  });
});

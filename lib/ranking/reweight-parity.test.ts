/**
 * Parity of the reweighted sandwich (LMArena, July 2025) with lmarena/arena-rank's published
 * formulas, always on the first 2,000 votes of the committed synthetic file (31 of its 45 pairs
 * below 50 battles, so the floor matters) and, when ../shared/data is there, on 25,938 real
 * Chatbot Arena votes. Reference numbers: tests/fixtures/arena-rank-reweight-synthetic-reference.json
 * and tests/fixtures/arena-rank-reweight-reference.json, both written by
 * scripts/reference/arena_rank_reweight.py (how, in their note). Each also holds arena-rank's
 * unweighted sandwich, which the plain sandwich must match as well.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { sharedDataFile } from "../../tests/helpers/shared-data";
import { rankingInput, readVotesFile } from "../import/ranking-input";
import { pairWeights, sandwichIntervals } from "./index";

const fixture = (name: string) =>
  fileURLToPath(new URL(`../../tests/fixtures/${name}`, import.meta.url));

interface Figures {
  rating: number;
  lower: number;
  upper: number;
}
interface Reference {
  votes: number;
  models: { model: string; plain: Figures; reweighted: Figures }[];
}

const real = sharedDataFile("lmsys-2023-en-votes.csv");
const DATASETS = [
  {
    name: "the first 2,000 synthetic votes",
    votes: fixture("synthetic-votes.csv"),
    first: 2000,
    reference: fixture("arena-rank-reweight-synthetic-reference.json"),
    present: true,
  },
  {
    name: "real votes",
    votes: real.path,
    first: Number.POSITIVE_INFINITY,
    reference: fixture("arena-rank-reweight-reference.json"),
    present: real.present,
  },
];

for (const set of DATASETS) {
  describe.skipIf(!set.present)(`parity with arena-rank's sandwich on ${set.name}`, () => {
    const reference = JSON.parse(readFileSync(set.reference, "utf8")) as Reference;
    let data: Awaited<ReturnType<typeof rankingInput>>;
    beforeAll(async () => {
      const lines = readFileSync(set.votes, "utf8").split("\n");
      const text = lines.slice(0, Math.min(lines.length, set.first + 1)).join("\n");
      data = rankingInput((await readVotesFile(text)).votes);
    });

    for (const view of ["reweighted", "plain"] as const) {
      it(`${view}: ratings within 0.1 point, bounds within 0.5 on average (0.1 at worst)`, () => {
        expect(data.votes.a.length).toBe(reference.votes);
        const n = data.models.length;
        const weights = view === "reweighted" ? pairWeights(n, data.matchups) : undefined;
        const ours = sandwichIntervals(n, data.matchups, { weights });
        const ratingDiffs: number[] = [];
        const boundDiffs: number[] = [];
        for (const r of reference.models) {
          const i = data.models.indexOf(r.model);
          expect(i).toBeGreaterThanOrEqual(0);
          ratingDiffs.push(Math.abs((ours.ratings[i] as number) - r[view].rating));
          boundDiffs.push(Math.abs((ours.lower[i] as number) - r[view].lower));
          boundDiffs.push(Math.abs((ours.upper[i] as number) - r[view].upper));
        }
        const worstRating = Math.max(...ratingDiffs);
        const meanBound = boundDiffs.reduce((s, d) => s + d, 0) / boundDiffs.length;
        const worstBound = Math.max(...boundDiffs);
        console.info(
          `${set.name}, ${view}: rating max |Δ| ${worstRating.toFixed(4)}, bounds mean |Δ| ${meanBound.toFixed(4)}, max |Δ| ${worstBound.toFixed(4)}`,
        );
        expect(worstRating).toBeLessThan(0.1);
        expect(meanBound).toBeLessThan(0.5);
        expect(worstBound).toBeLessThan(0.1);
      });
    }

    it("reweighting moves the figures by far more than the tolerance (the test can tell)", () => {
      const moved = reference.models.map((r) =>
        Math.max(
          Math.abs(r.reweighted.rating - r.plain.rating),
          Math.abs(r.reweighted.upper - r.reweighted.lower - (r.plain.upper - r.plain.lower)),
        ),
      );
      expect(Math.max(...moved)).toBeGreaterThan(2);
    });
  });
}

/**
 * Style control against FastChat's own code (compute_style_control, add_markdown_info), always
 * on committed synthetic battles with text (tests/fixtures/synthetic-style-battles.jsonl) and,
 * when the test data beside the repository is there, on the 1,756 real battles with text.
 * Reference numbers: tests/fixtures/fastchat-style-synthetic-reference.json and
 * tests/fixtures/fastchat-style-reference.json (how each was made is in its note; the script is
 * scripts/reference/fastchat_style_reference.py).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { syntheticStyleBattlesJsonl } from "../../tests/fixtures/make-synthetic-style-battles";
import { sharedDataFile } from "../../tests/helpers/shared-data";
import { readVotesFile } from "../import/ranking-input";
import { type StyleRankingInput, styleRankingInput } from "../import/style-input";
import { fitStyleControl, styleSandwich } from "./style-control";
import { prepareStyleData, STYLE_FEATURES } from "./style-data";
import { styleFeatures } from "./style-features";

const fixture = (name: string) =>
  fileURLToPath(new URL(`../../tests/fixtures/${name}`, import.meta.url));

interface Reference {
  battles: number;
  modelOrder: string[];
  models: { model: string; rating: number; sandwichLower: number; sandwichUpper: number }[];
  coefficients: Record<string, { value: number; lower: number; upper: number }>;
  features: { rows: number[][] };
}

const real = sharedDataFile("lmsys-2023-en-battles-with-text.jsonl");
const DATASETS = [
  {
    name: "synthetic battles",
    file: fixture("synthetic-style-battles.jsonl"),
    reference: fixture("fastchat-style-synthetic-reference.json"),
    present: true,
  },
  {
    name: "real battles",
    file: real.path,
    reference: fixture("fastchat-style-reference.json"),
    present: real.present,
  },
];

it("the synthetic battles file is exactly its generator's output", () => {
  expect(readFileSync(fixture("synthetic-style-battles.jsonl"), "utf8")).toBe(
    syntheticStyleBattlesJsonl(),
  );
});

for (const set of DATASETS) {
  describe.skipIf(!set.present)(`style control matches FastChat on ${set.name}`, () => {
    const reference = JSON.parse(readFileSync(set.reference, "utf8")) as Reference;
    let input: StyleRankingInput;
    let texts: { a: string; b: string }[];
    beforeAll(async () => {
      const source = readFileSync(set.file, "utf8");
      input = styleRankingInput(await readVotesFile(source, "battles.jsonl"));
      texts = source
        .trim()
        .split("\n")
        .map((line) => {
          const r = JSON.parse(line) as { response_a: string; response_b: string };
          return { a: r.response_a, b: r.response_b };
        });
    });
    const index = (model: string) => input.models.indexOf(model);

    it("reads every battle, models in FastChat's order", () => {
      expect(input.style.a.length).toBe(reference.battles);
      expect(input.models).toEqual(reference.modelOrder);
    });

    it("counts tokens (cl100k_base) and markdown exactly as the reference does, battle by battle", () => {
      const mismatches: number[] = [];
      texts.forEach((t, i) => {
        const a = styleFeatures(t.a);
        const b = styleFeatures(t.b);
        const ours = [
          a.tokens,
          a.headers,
          a.listItems,
          a.bold,
          b.tokens,
          b.headers,
          b.listItems,
          b.bold,
        ];
        if (ours.join() !== reference.features.rows[i]?.join()) mismatches.push(i);
      });
      expect(mismatches).toEqual([]);
    });

    it("ratings within 1 point, sandwich bounds within 0.75 on average, coefficients within 0.01", () => {
      const data = prepareStyleData(input.models.length, input.style);
      const fit = fitStyleControl(data);
      expect(fit.converged).toBe(true);
      const sw = styleSandwich(data, { fit });
      const ratingDiffs = reference.models.map((r) =>
        Math.abs((fit.ratings[index(r.model)] as number) - r.rating),
      );
      const boundDiffs = reference.models.flatMap((r) => [
        Math.abs((sw.lower[index(r.model)] as number) - r.sandwichLower),
        Math.abs((sw.upper[index(r.model)] as number) - r.sandwichUpper),
      ]);
      const coefDiffs = STYLE_FEATURES.flatMap((name, k) => {
        const ref = reference.coefficients[name] as { value: number; lower: number; upper: number };
        const ours = sw.coefficients[k] as { value: number; lower: number; upper: number };
        return [ours.value - ref.value, ours.lower - ref.lower, ours.upper - ref.upper].map(
          Math.abs,
        );
      });
      const maxRating = Math.max(...ratingDiffs);
      const meanBound = boundDiffs.reduce((s, d) => s + d, 0) / boundDiffs.length;
      const maxCoef = Math.max(...coefDiffs);
      console.info(
        `${set.name}: style ratings max |Δ| ${maxRating.toFixed(4)}, sandwich bounds mean |Δ| ${meanBound.toFixed(4)} (max ${Math.max(...boundDiffs).toFixed(4)}), coefficients max |Δ| ${maxCoef.toExponential(2)}`,
      );
      // The issue asks for 1 / 0.75 / 0.01. FastChat stops L-BFGS-B at a gradient of 1e-6 while we
      // solve to the optimum, so hundredths of a point remain (0.03 at worst on the synthetic file)
      expect(maxRating).toBeLessThan(0.05);
      expect(meanBound).toBeLessThan(0.05);
      expect(maxCoef).toBeLessThan(1e-3);
    });
  });
}

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import type { LeaderboardView } from "@/lib/arena/leaderboard";
import { rankingInput, readVotesFile } from "@/lib/import/ranking-input";
import { computeLeaderboard } from "@/lib/ranking/index";
import { runLeaderboard } from "./leaderboard";

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

const dir = mkdtempSync(join(tmpdir(), "arena-leaderboard-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** 3 models: a beats b beats c, with some noise; 120 votes. */
function votesCsv(extraHeader = "", extra: (k: number) => string = () => ""): string {
  const rows = [`model_a,model_b,winner${extraHeader}`];
  const pairs: [string, string, string[]][] = [
    ["alpha", "beta", ["model_a", "model_a", "model_b", "tie"]],
    ["beta", "gamma", ["model_a", "model_a", "tie (bothbad)", "model_b"]],
    ["gamma", "alpha", ["model_b", "model_b", "model_b", "tie"]],
  ];
  let k = 0;
  for (let round = 0; round < 10; round++) {
    for (const [a, b, outcomes] of pairs) {
      for (const w of outcomes) rows.push(`${a},${b},${w}${extra(k++)}`);
    }
  }
  return `${rows.join("\n")}\n`;
}

async function run(argv: string[], hooks = {}) {
  let stdout = "";
  let stderr = "";
  const code = await runLeaderboard(
    argv,
    {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
    },
    hooks,
  );
  return { code, stdout, stderr };
}

interface JsonRow {
  model: string;
  rating: number;
  ciLower: number | null;
  ciUpper: number | null;
  votes: number;
  rank: number;
  worstRank: number;
  component: number;
  winRate: number;
  eloRating?: number;
}

describe("arena leaderboard", () => {
  const battles = file("votes.csv", votesCsv());

  it("prints JSON rows, best first, with CIs, votes, rank and Elo", async () => {
    const { code, stdout, stderr } = await run([
      "--battles",
      battles,
      "--format",
      "json",
      "--bootstrap",
      "200",
    ]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const rows = JSON.parse(stdout) as JsonRow[];
    expect(rows.map((r) => r.model)).toEqual(["alpha", "beta", "gamma"]);
    for (const r of rows) {
      expect(r.ciLower).toBeLessThan(r.rating);
      expect(r.ciUpper).toBeGreaterThan(r.rating);
      expect(r.votes).toBe(80);
      expect(typeof r.eloRating).toBe("number");
    }
    expect(rows[0]?.rank).toBe(1);
    expect(rows.reduce((s, r) => s + r.rating, 0) / 3).toBeCloseTo(1000, 2);
    for (const r of rows) {
      const others = rows.filter((o) => o !== r);
      expect(r.worstRank).toBe(
        1 + others.filter((o) => (o.ciUpper ?? 0) > (r.ciLower ?? 0)).length,
      );
      expect(r.component).toBe(0);
    }
  });

  it("is reproducible for a seed", async () => {
    const a = await run([
      "--battles",
      battles,
      "--format",
      "json",
      "--bootstrap",
      "100",
      "--seed",
      "7",
    ]);
    const b = await run([
      "--battles",
      battles,
      "--format",
      "json",
      "--bootstrap",
      "100",
      "--seed",
      "7",
    ]);
    expect(a.stdout).toBe(b.stdout);
  });

  it("prints an aligned table by default", async () => {
    const { code, stdout } = await run(["--battles", battles, "--bootstrap", "100"]);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(
      /^Rank\s+Model\s+Rating\s+95% CI \(bootstrap\)\s+Votes\s+Win rate\s+Elo$/,
    );
    expect(lines[1]).toMatch(/^-+( +-+)+$/);
    expect(lines).toHaveLength(5);
    // every row's columns line up with the header's
    const ratingEnd = (lines[0] as string).indexOf("Rating") + "Rating".length;
    for (const row of lines.slice(2))
      expect(row.slice(ratingEnd - 6, ratingEnd)).toMatch(/^ *\d+\.\d$/);
  });

  it("prints CSV, sandwich CIs and an anchored scale", async () => {
    const { code, stdout } = await run([
      "--battles",
      battles,
      "--format",
      "csv",
      "--ci",
      "sandwich",
      "--anchor",
      "beta=1200",
    ]);
    expect(code).toBe(0);
    const [header, ...rows] = stdout.trimEnd().split("\n");
    expect(header).toBe("rank,model,rating,ciLower,ciUpper,votes,winRate,eloRating");
    const beta = rows.find((r) => r.split(",")[1] === "beta")?.split(",");
    expect(beta?.[2]).toBe("1200.0000");
    expect(beta?.[3]).toBe("1200.0000");
  });

  it("--reweight gives LMArena's reweighted fit and sandwich intervals", async () => {
    // alpha–beta played 10× as often as the other pairs: reweighting changes the figures
    const lines = ["model_a,model_b,winner"];
    const outcomes = ["model_a", "model_a", "model_b", "tie"];
    for (let k = 0; k < 400; k++) lines.push(`alpha,beta,${outcomes[k % 4]}`);
    for (let k = 0; k < 40; k++) lines.push(`beta,gamma,${outcomes[k % 4]}`);
    for (let k = 0; k < 40; k++) lines.push(`gamma,alpha,${outcomes[(k + 2) % 4]}`);
    const path = file("unbalanced.csv", `${lines.join("\n")}\n`);
    const json = async (...extra: string[]) => {
      const out = await run(["--battles", path, "--format", "json", ...extra]);
      expect(out.stderr).toBe("");
      return JSON.parse(out.stdout) as JsonRow[];
    };
    const reweighted = await json("--reweight");
    const input = rankingInput((await readVotesFile(readFileSync(path, "utf8"))).votes);
    const expected = computeLeaderboard(input.models, input.matchups, {
      ci: "sandwich",
      reweight: true,
    });
    expect(reweighted.map((r) => [r.model, r.rating, r.ciLower, r.ciUpper])).toEqual(
      expected.map((r) => [r.model, ...[r.rating, r.ciLower, r.ciUpper].map(round4)]),
    );
    const plain = await json("--ci", "sandwich");
    expect(reweighted.map((r) => r.rating)).not.toEqual(plain.map((r) => r.rating));
    const table = await run(["--battles", path, "--reweight"]);
    expect(table.stdout.split("\n")[0]).toContain("95% CI (sandwich, reweighted)");
    const refused = await run(["--battles", path, "--reweight", "--ci", "bootstrap"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("--reweight gives sandwich intervals");
  });

  it("neutralises model names a spreadsheet would run as formulas, and keeps numbers numbers", async () => {
    const hostile = votesCsv()
      .replaceAll("alpha", '"=HYPERLINK(""http://evil.example"",""x"")"')
      .replaceAll("gamma", "-1+2");
    const { code, stdout } = await run([
      "--battles",
      file("hostile.csv", hostile),
      "--format",
      "csv",
      "--anchor",
      "beta=-50",
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain('"\'=HYPERLINK(""http://evil.example"",""x"")",');
    expect(stdout).toContain('"\'-1+2",');
    expect(stdout).toMatch(/\n\d,beta,-50\.0000,/);
    for (const line of stdout.trimEnd().split("\n")) expect(line).not.toMatch(/(^|,)[=+@-][^\d]/);
  });

  it("filters clean_battle JSON by category", async () => {
    const records = [
      {
        model_a: "x",
        model_b: "y",
        winner: "model_a",
        category_tag: { "math_v0.1": { math: true } },
      },
      {
        model_a: "x",
        model_b: "y",
        winner: "model_b",
        category_tag: { "math_v0.1": { math: false } },
      },
      { model_a: "y", model_b: "z", winner: "tie", category_tag: { "math_v0.1": { math: true } } },
    ];
    const path = file("battles.json", JSON.stringify(records));
    const math = await run([
      "--battles",
      path,
      "--category",
      "math",
      "--format",
      "json",
      "--bootstrap",
      "50",
    ]);
    expect(math.code).toBe(0);
    expect((JSON.parse(math.stdout) as JsonRow[]).map((r) => r.votes).sort()).toEqual([1, 1, 2]);
    const none = await run(["--battles", path, "--category", "coding"]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no counted votes in category "coding"');
  });

  it("only allows overall for a CSV without a categories column", async () => {
    const { code, stderr } = await run(["--battles", battles, "--category", "math"]);
    expect(code).toBe(1);
    expect(stderr).toContain("no vote in this file has categories");
    expect(stderr).toContain('only "overall" is available');
    const tagged = file(
      "tagged.csv",
      votesCsv(",categories", (k) => (k % 2 ? ",math" : ",coding")),
    );
    const ok = await run([
      "--battles",
      tagged,
      "--category",
      "math",
      "--format",
      "json",
      "--bootstrap",
      "50",
    ]);
    expect(ok.code).toBe(0);
  });

  it("reports a bad file with its line", async () => {
    const bad = file("bad.csv", "model_a,model_b,winner\nx,y,model_a\nx,y,left\n");
    const { code, stderr } = await run(["--battles", bad]);
    expect(code).toBe(1);
    expect(stderr).toBe(
      `arena leaderboard: ${bad}: line 3, field "winner": "left" is not one of model_a, model_b, tie, tie (bothbad)\n`,
    );
    const missing = await run(["--battles", join(dir, "nope.csv")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("ENOENT");
  });

  it("rejects bad options with usage (exit 2)", async () => {
    for (const argv of [
      ["--battles", battles, "--format", "xml"],
      ["--battles", battles, "--ci", "jackknife"],
      ["--battles", battles, "--bootstrap", "0"],
      ["--battles", battles, "--anchor", "beta"],
      ["--battles", battles, "--anchor", "nobody=1000"],
      ["--battles", battles, "--frobnicate"],
    ]) {
      const { code, stderr } = await run(argv);
      expect(code).toBe(2);
      expect(stderr).toContain("Usage: arena leaderboard");
    }
  });

  it("needs --battles unless the database hook is given, and then prints the web's rows", async () => {
    const without = await run([]);
    expect(without.code).toBe(2);
    expect(without.stderr).toContain("--battles FILE is required");
    let asked: unknown;
    // the figures the CLI prints, and the display fields of the web's row it leaves out
    const printed = {
      rank: 1,
      model: "m1",
      rating: 1010,
      ciLower: 990,
      ciUpper: 1030,
      votes: 10,
      winRate: 0.6,
      provisional: true,
      deprecated: false,
      worstRank: 1,
      component: 0,
    };
    const row = {
      ...printed,
      delta: null,
      displayName: "M1",
      organization: "",
      license: "",
      link: null,
    };
    const hooks = {
      leaderboardFromDatabase: async (opts: unknown) => {
        asked = opts;
        return { rows: [row] } as unknown as LeaderboardView;
      },
    };
    const viaDb = await run(["--category", "math", "--format", "json", "--deprecated"], hooks);
    expect(viaDb.code).toBe(0);
    expect(asked).toEqual({ category: "math", ci: "bootstrap", includeDeprecated: true });
    await run(["--reweight"], hooks);
    expect(asked).toEqual({ category: "overall", ci: "reweighted", includeDeprecated: false });
    const rows = JSON.parse(viaDb.stdout) as JsonRow[];
    expect(rows).toEqual([printed]);
    const table = await run([], hooks);
    expect(table.stdout).toMatch(/m1 .* provisional$/m);
  });

  it("refuses the file-only options for the database, and --deprecated for a file", async () => {
    for (const argv of [
      ["--seed", "3"],
      ["--bootstrap", "50"],
      ["--anchor", "m1=1000"],
    ]) {
      const { code, stderr } = await run(argv, { leaderboardFromDatabase: async () => ({}) });
      expect(code).toBe(2);
      expect(stderr).toContain("only apply with --battles");
    }
    const { code, stderr } = await run(["--battles", battles, "--deprecated"]);
    expect(code).toBe(2);
    expect(stderr).toContain("--deprecated only applies to the database");
  });

  it("prints help", async () => {
    const { code, stdout } = await run(["--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("--battles FILE");
  });

  describe("--style (style control)", () => {
    const battlesWithText = fileURLToPath(
      new URL("../../tests/fixtures/synthetic-style-battles.jsonl", import.meta.url),
    );

    it("prints {rows, style: {coefficients}} as JSON, each coefficient with its interval", async () => {
      const { code, stdout, stderr } = await run([
        "--battles",
        battlesWithText,
        "--style",
        "--format",
        "json",
      ]);
      expect(stderr).toBe("");
      expect(code).toBe(0);
      const out = JSON.parse(stdout) as {
        rows: JsonRow[];
        style: { coefficients: Record<string, { value: number; lower: number; upper: number }> };
      };
      expect(out.rows).toHaveLength(6);
      expect(Object.keys(out.style.coefficients)).toEqual(["length", "headers", "lists", "bold"]);
      for (const c of Object.values(out.style.coefficients)) {
        expect(c.lower).toBeLessThan(c.value);
        expect(c.upper).toBeGreaterThan(c.value);
      }
      // the style-controlled ratings differ from the plain ones on the same file
      const plain = JSON.parse(
        (await run(["--battles", battlesWithText, "--format", "json", "--ci", "sandwich"])).stdout,
      ) as JsonRow[];
      const at = (rows: JsonRow[], m: string) => rows.find((r) => r.model === m)?.rating ?? 0;
      expect(
        Math.max(...plain.map((r) => Math.abs(r.rating - at(out.rows, r.model)))),
      ).toBeGreaterThan(1);
    });

    it("takes --ci bootstrap with --bootstrap rounds, and words the coefficients under the table", async () => {
      const boot = await run([
        "--battles",
        battlesWithText,
        "--style",
        "--ci",
        "bootstrap",
        "--bootstrap",
        "20",
      ]);
      expect(boot.code).toBe(0);
      expect(boot.stdout).toContain("95% CI (bootstrap)");
      expect(boot.stdout).toMatch(
        /longer answers: (win|lose|no clear effect), [+-]\d\.\d{3} log-odds per SD/,
      );
    });

    it("refuses a votes file without text, and the database without --battles", async () => {
      const noText = await run(["--battles", battles, "--style"]);
      expect(noText.code).toBe(1);
      expect(noText.stderr).toContain("battles with text");
      const noFile = await run(["--style"], {
        leaderboardFromDatabase: async () => ({ rows: [] }),
      });
      expect(noFile.code).toBe(2);
      expect(noFile.stderr).toContain("--style");
    });
  });
});

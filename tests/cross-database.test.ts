/**
 * An export from one database imported into the other gives the identical leaderboard (issue #9
 * §2), both ways. A process talks to one database (db/schema.ts), so each step is the `arena`
 * CLI in a process of its own, as an operator moving an arena would run it.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { freshPostgresUrl, testServerUrl } from "./helpers/postgres";
import { seededRng } from "./helpers/rng";

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), "arena-cross-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function arena(databaseUrl: string, ...argv: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, ["--import", "tsx", "scripts/arena.ts", ...argv], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      LEADERBOARD_BOOTSTRAP_ROUNDS: "200",
      LEADERBOARD_MIN_VOTES: "0",
    },
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

async function board(databaseUrl: string, ci: string, category: string) {
  const rows = JSON.parse(
    await arena(databaseUrl, "leaderboard", "--format", "json", "--ci", ci, "--category", category),
  );
  return (
    rows as { model: string; votes: number; rating: number; ciLower: number; ciUpper: number }[]
  ).map((r) => [r.model, r.votes, r.rating.toFixed(6), r.ciLower.toFixed(6), r.ciUpper.toFixed(6)]);
}

interface DemoPrompt {
  prompt: string;
  tags: string[];
  responses: Record<string, string>;
}

/**
 * Battles with their text, in FastChat's clean_battle form: the demo set's prompts and answers,
 * seeded pairs and outcomes, so the leaderboard has categories (math, coding) to compare too.
 */
function battlesFile(n: number): string {
  const prompts = ["math", "code", "general"].flatMap(
    (set) => JSON.parse(readFileSync(`db/seed/demo/prompts-${set}.json`, "utf8")) as DemoPrompt[],
  );
  const rng = seededRng(12);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rng() * xs.length)] as T;
  const winners = ["model_a", "model_b", "tie", "tie (bothbad)", "model_a"];
  const battles = Array.from({ length: n }, (_, i) => {
    const p = pick(prompts);
    const models = Object.keys(p.responses);
    const a = pick(models);
    const b = pick(models.filter((m) => m !== a));
    const turn = (m: string) => [
      { role: "user", content: p.prompt },
      { role: "assistant", content: p.responses[m] },
    ];
    return {
      question_id: `q${i}`,
      model_a: a,
      model_b: b,
      winner: pick(winners),
      conversation_a: turn(a),
      conversation_b: turn(b),
      turn: 1,
      anony: true,
      language: "English",
      tstamp: 1_700_000_000 + i,
      category_tag: p.tags,
    };
  });
  const file = join(dir, "battles.json");
  writeFileSync(file, JSON.stringify(battles));
  return file;
}

describe.runIf(testServerUrl())("SQLite and PostgreSQL", () => {
  it("give the identical leaderboard after an export from one is imported into the other, both ways", async () => {
    const sqliteA = `file:${join(dir, "a.db")}`;
    const sqliteC = `file:${join(dir, "c.db")}`;
    const pg = (await freshPostgresUrl()) as string;
    await arena(sqliteA, "import-battles", battlesFile(1500));

    const fromSqlite = join(dir, "from-sqlite.json");
    await arena(sqliteA, "export-battles", "--out", fromSqlite);
    await arena(pg, "import-battles", fromSqlite);
    const fromPg = join(dir, "from-pg.json");
    await arena(pg, "export-battles", "--out", fromPg);
    await arena(sqliteC, "import-battles", fromPg);

    for (const [ci, category] of [
      ["bootstrap", "overall"],
      ["sandwich", "overall"],
      ["bootstrap", "math"],
    ] as const) {
      const a = await board(sqliteA, ci, category);
      expect(a.length, category).toBeGreaterThan(3);
      expect(await board(pg, ci, category), `PostgreSQL, ${ci}, ${category}`).toEqual(a);
      expect(await board(sqliteC, ci, category), `back on SQLite, ${ci}, ${category}`).toEqual(a);
    }
  });
});

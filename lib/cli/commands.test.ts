/**
 * The `arena` commands against a database file of their own, called as scripts/arena.ts calls
 * them (runCli with captured output): import, export, create/remove admin, and the leaderboard
 * from the database compared with what GET /api/leaderboard answers for the same file.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as leaderboardApi } from "@/app/api/leaderboard/route";
import { type ArenaDb, closeDatabase, openDatabase } from "@/db/client";
import { battles, models, users } from "@/db/schema";
import { resetEnvCache } from "@/lib/env";
import { parseImport } from "@/lib/import/parse";
import { cli } from "@/tests/helpers/cli";
import { freshPostgresUrl } from "@/tests/helpers/postgres";

const dir = mkdtempSync(join(tmpdir(), "arena-cli-"));
const saved = { ...process.env };
/** A file of its own, or a database of its own on the suite's PostgreSQL server. */
let dbUrl = `file:${join(dir, "arena.db")}`;

beforeAll(async () => {
  dbUrl = (await freshPostgresUrl()) ?? dbUrl;
  process.env.DATABASE_URL = dbUrl;
  process.env.ARENA_DEMO_DATA = "false";
  process.env.LEADERBOARD_BOOTSTRAP_ROUNDS = "50";
  process.env.LEADERBOARD_MIN_VOTES = "60";
  resetEnvCache();
});
afterAll(() => {
  process.env = saved;
  resetEnvCache();
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function withDb<T>(fn: (db: ArenaDb) => Promise<T>): Promise<T> {
  const db = await openDatabase(dbUrl);
  try {
    return await fn(db);
  } finally {
    await closeDatabase(db);
  }
}

const countBattles = () => withDb(async (db) => (await db.select().from(battles)).length);

/** 5 models, a clear order, 200 votes; a tie or both-bad now and then. */
function votesCsv(): string {
  const names = ["alpha", "beta", "gamma", "delta", "omega"];
  const rows = ["model_a,model_b,winner"];
  for (let k = 0; k < 200; k++) {
    const i = k % 5;
    const j = (k * 3 + 1) % 5 === i ? (i + 1) % 5 : (k * 3 + 1) % 5;
    const w = k % 7 === 0 ? "tie" : k % 11 === 0 ? "tie (bothbad)" : i < j ? "model_a" : "model_b";
    rows.push(`${names[i]},${names[j]},${w}`);
  }
  return `${rows.join("\n")}\n`;
}

describe("arena CLI on a database of its own", () => {
  const votes = file("votes.csv", votesCsv());

  it("import --dry-run reports what it would import and writes nothing", async () => {
    const r = await cli("import-battles", votes, "--dry-run");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^Dry run \(nothing written\): would import 0 prompts, 0 responses, 5 new models, 200 votes from 200 votes records \(0 skipped\) in \d+ ms\n$/,
    );
    expect(await countBattles()).toBe(0);
  });

  it("import refuses a bad file with its line and imports nothing", async () => {
    const bad = file("bad.csv", "model_a,model_b,winner\nalpha,beta,model_a\nalpha,beta,left\n");
    const r = await cli("import-battles", bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `${bad}: line 3, field "winner": "left" is not one of model_a, model_b, tie, tie (bothbad)\nNothing was imported.\n`,
    );
    expect(await countBattles()).toBe(0);
    const missing = await cli("import", join(dir, "nope.csv"));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("no such file");
  });

  it("import writes the votes and says how many", async () => {
    const r = await cli("import-battles", votes);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^Imported 0 prompts, 0 responses, 5 new models, 200 votes from 200 votes records \(0 skipped\) in \d+ ms\n$/,
    );
    expect(await countBattles()).toBe(200);
  });

  it("leaderboard from the database shows what the API shows: hidden models out, same figures", async () => {
    await withDb(async (db) => {
      await db.update(models).set({ hidden: true }).where(eq(models.slug, "omega"));
      await db.update(models).set({ deprecated: true }).where(eq(models.slug, "delta"));
    });
    for (const [flag, query] of [
      [[], ""],
      [["--deprecated"], "&deprecated=1"],
      [["--ci", "sandwich"], "&ci=sandwich"],
      [["--reweight"], "&reweight=1"],
    ] as const) {
      const r = await cli("leaderboard", "--format", "json", ...flag);
      expect(r.stderr).toBe("");
      const fromCli = JSON.parse(r.stdout) as Record<string, unknown>[];
      const response = await leaderboardApi(
        new Request(`http://arena.test/api/leaderboard?category=overall${query}`),
      );
      const view = (await response.json()) as { rows: Record<string, number>[] };
      const round4 = (x: unknown) => Math.round((x as number) * 1e4) / 1e4;
      expect(fromCli).toEqual(
        view.rows.map((row) => ({
          rank: row.rank,
          worstRank: row.worstRank,
          component: row.component,
          model: row.model,
          rating: round4(row.rating),
          ciLower: round4(row.ciLower),
          ciUpper: round4(row.ciUpper),
          votes: row.votes,
          winRate: round4(row.winRate),
          provisional: row.provisional,
          deprecated: row.deprecated,
        })),
      );
      expect(fromCli.map((row) => row.model)).not.toContain("omega");
      expect(fromCli.some((row) => row.model === "delta")).toBe(flag[0] === "--deprecated");
    }
  });

  it("export-battles reports the number of battles it wrote, as JSON and as CSV", async () => {
    const json = join(dir, "out.json");
    const r = await cli("export-battles", "--out", json);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(json, "utf8"))).toHaveLength(200);
    expect(r.stderr).toBe(`Wrote 200 battles to ${json}\n`);

    const csv = join(dir, "out.csv");
    const c = await cli("export-battles", "--format", "csv", "--out", csv);
    expect(c.code).toBe(0);
    // read as votes: these battles have no text, so as battles their empty responses are refused
    const back = await parseImport(readFileSync(csv, "utf8"), { format: "votes" });
    expect(back.votes).toHaveLength(200);
    expect(c.stderr).toBe(`Wrote 200 battles to ${csv}\n`);

    const toStdout = await cli("export-battles");
    expect(JSON.parse(toStdout.stdout)).toHaveLength(200);
    expect(toStdout.stderr).toBe("");
  });

  it("create-admin adds an admin or resets their password; remove-admin removes them", async () => {
    const admins = () => withDb(async (db) => db.select({ email: users.email }).from(users));
    const usage = await cli("create-admin");
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("usage: arena create-admin --email EMAIL");

    const created = await cli(
      "create-admin",
      "--email",
      "Ann@Example.com",
      "--password",
      "a-long-password-1",
    );
    expect(created).toEqual({ code: 0, stdout: "Created admin ann@example.com\n", stderr: "" });
    expect(await admins()).toEqual([{ email: "ann@example.com" }]);

    const reset = await cli("create-admin", "--email", "ann@example.com");
    expect(reset.code).toBe(0);
    expect(reset.stdout).toMatch(
      /^Updated admin ann@example.com: new password, their sessions are signed out; any sign-in lockout is lifted\npassword: \S{12,}\n\(shown only once\)\n$/,
    );

    const removed = await cli("remove-admin", "--email", "ANN@example.com");
    expect(removed).toEqual({
      code: 0,
      stdout: "Removed admin ann@example.com and signed out their sessions\n",
      stderr: "",
    });
    expect(await admins()).toEqual([]);
    const again = await cli("remove-admin", "--email", "ann@example.com");
    expect(again).toEqual({ code: 1, stdout: "", stderr: "No admin ann@example.com\n" });
  });
});

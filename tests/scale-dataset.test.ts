/**
 * The scale benchmark's dataset (bench/scale-dataset.ts) must be what the app itself would hold,
 * or the benchmark measures something else: checked here at a small size.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type SQL, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDataset, datasetModels, verifyDataset } from "../bench/scale-dataset";
import { dialectOf } from "../db/dialect";
import { rows } from "../db/rows";
import { IdentityLeakDetector } from "../lib/arena/identity-leak";
import { testDbUrl } from "./helpers/db";
import { readDatabase } from "./helpers/db-check";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "arena-scale-dataset-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// Built on the database this suite runs against: an SQLite file, or (DATABASE_URL naming a
// PostgreSQL server) a new database there, as the benchmark's template database is built.
describe("the scale benchmark's dataset", () => {
  const params = { models: 12, prompts: 40, votes: 3000, responseBytes: 600 };
  let url: string;
  beforeAll(async () => {
    url = await testDbUrl(path.join(dir, "small.db"));
    await buildDataset(params, url, () => {});
  });
  const all = <T>(q: SQL) => readDatabase(url, (db) => rows<T>(db, q));
  const one = async <T>(q: SQL) => (await all<T>(q))[0] as T;

  it("has tallies equal to a recompute from its battles, and a sound file", async () => {
    const check = await verifyDataset(url);
    expect(check.detail).toMatch(/integrity ok, 0 foreign-key violations/);
    expect(check.ok).toBe(true);
  });

  it("is a finished import: every vote counted, nothing pending", async () => {
    expect((await one<{ n: number }>(sql`select count(*) as n from battles`)).n).toBe(params.votes);
    expect(
      (
        await one<{ n: number }>(
          sql`select count(*) as n from battles where pending or excluded or identity_leak or winner is null`,
        )
      ).n,
    ).toBe(0);
    expect(
      (await one<{ n: number }>(sql`select count(*) as n from responses where pending`)).n,
    ).toBe(0);
    expect((await one<{ status: string }>(sql`select status from imports`)).status).toBe("done");
    expect(
      Number(
        (
          await one<{ n: number }>(
            sql`select sum(wins_a + wins_b + ties + both_bad) as n from tallies where category = 'overall'`,
          )
        ).n,
      ),
    ).toBe(params.votes);
    // No statistics the app would not have: they change the query plans the benchmark measures.
    if (dialectOf(url) === "sqlite")
      expect(
        (
          await one<{ n: number }>(
            sql`select count(*) as n from sqlite_master where name like 'sqlite_stat%'`,
          )
        ).n,
      ).toBe(0);
  });

  it("has every model answer every prompt, and each prompt in one or two categories", async () => {
    expect((await one<{ n: number }>(sql`select count(*) as n from responses`)).n).toBe(
      params.models * params.prompts,
    );
    const perPrompt = await all<{ n: number }>(
      sql`select p.id, count(c.category) as n from prompts p left join prompt_categories c on c.prompt_id = p.id group by p.id`,
    );
    expect(perPrompt).toHaveLength(params.prompts);
    for (const p of perPrompt) expect([1, 2]).toContain(p.n);
  });

  it("names no model in a prompt or an answer (no battle would be an identity leak)", async () => {
    const detector = new IdentityLeakDetector(datasetModels(params.models));
    const texts = [
      ...(await all<{ text: string }>(sql`select text from prompts`)),
      ...(await all<{ text: string }>(sql`select text from responses`)),
    ];
    for (const { text } of texts)
      expect(detector.check({ prompt: text, a: "", b: "" }).leak, text).toBe(false);
  });

  it("gives the strongest models more wins than the weakest", async () => {
    const rate = await all<{ r: number }>(
      sql`select m.id, (sum(case when t.model_a_id = m.id then t.wins_a else t.wins_b end) * 1.0) /
           sum(t.wins_a + t.wins_b) as r
         from models m join tallies t on t.category = 'overall' and (t.model_a_id = m.id or t.model_b_id = m.id)
         group by m.id order by r`,
    );
    expect(Number(rate.at(-1)?.r ?? 0) - Number(rate[0]?.r ?? 0)).toBeGreaterThan(0.2);
  });
});

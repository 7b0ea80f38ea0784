/**
 * `npm start` rebuilds when a source of the build is newer than the build: a source missing from
 * the list means a stale build served after an edit (instrumentation.ts and postcss.config.mjs
 * were). Every top-level entry of the repository is either read by `next build` or named below
 * with the reason it is not, so a new one forces a decision.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { BUILD_SOURCES } from "./build-sources";

const root = fileURLToPath(new URL("..", import.meta.url));

const NOT_READ_BY_NEXT_BUILD: Record<string, string> = {
  ".ci": "the CI runner",
  ".gitignore": "git",
  ".prebuild-installrc": "npm install (better-sqlite3 from source)",
  "README.md": "people",
  docs: "people",
  bench: "benchmarks, run with tsx",
  "biome.json": "the linter",
  "drizzle.config.ts": "drizzle-kit, which writes db/migrations",
  "drizzle.pg.config.ts": "drizzle-kit for PostgreSQL, which writes db/migrations-pg",
  e2e: "Playwright",
  "playwright.config.ts": "Playwright",
  scripts: "run by node and tsx beside the build (server.mjs, start.ts, the CLI entry)",
  tests: "Vitest",
  "vitest.config.ts": "Vitest",
};

/** May be absent (a checkout without static files). */
const OPTIONAL = new Set(["public"]);

/** Files Next itself looks for at the top of a project when it builds. */
const NEXT_READS =
  /^(next\.config|postcss\.config|tailwind\.config|babel\.config|instrumentation|instrumentation-client|proxy|middleware)\.[cm]?[jt]sx?$|^tsconfig\.json$|^(app|pages|public|src)$/;

const topLevel = [
  ...new Set(
    execFileSync("git", ["ls-files"], { cwd: root, encoding: "utf8" })
      .split("\n")
      .filter(Boolean)
      .map((f) => f.split("/")[0] as string),
  ),
].sort();

const sources: readonly string[] = BUILD_SOURCES;

describe("the sources of the production build", () => {
  it("account for every top-level entry of the repository", () => {
    const undecided = topLevel.filter(
      (e) => !sources.includes(e) && !(e in NOT_READ_BY_NEXT_BUILD),
    );
    expect(undecided).toEqual([]);
  });

  it("include every file Next reads at the top of the project", () => {
    const entries = [...topLevel, ...fs.readdirSync(root)].filter((e) => NEXT_READS.test(e));
    expect(entries.filter((e) => !sources.includes(e))).toEqual([]);
    expect(entries).toEqual(expect.arrayContaining(["instrumentation.ts", "postcss.config.mjs"]));
  });

  it("exist, and none is also listed as not read", () => {
    expect(sources.filter((s) => !OPTIONAL.has(s) && !fs.existsSync(path.join(root, s)))).toEqual(
      [],
    );
    expect(sources.filter((s) => s in NOT_READ_BY_NEXT_BUILD)).toEqual([]);
  });

  it("are one list: npm start and the test and benchmark server harness both import it", () => {
    for (const file of ["scripts/start.ts", "tests/helpers/server-harness.ts"]) {
      const text = fs.readFileSync(path.join(root, file), "utf8");
      expect(text, file).toMatch(/from "(\.\.?\/)+(scripts\/)?build-sources"/);
      expect(text, `${file} keeps a list of its own`).not.toMatch(/"next\.config\.ts"/);
    }
  });
});

/**
 * Dependencies point one way (README, "Layers"): a module imports only from the layers below
 * its own. A plain scan of the import statements, so an arrow that points back up fails here
 * with the file and the import, before it becomes a cycle that nobody can untangle.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Lowest first. A module may import from any layer below its own, and from its own layer. */
const LAYERS: { name: string; members: string[] }[] = [
  // The vote outcome, which every layer speaks: imports nothing.
  { name: "vocabulary", members: ["lib/winner"] },
  // Pure helpers that stand alone (see `isolated` below).
  {
    name: "foundation",
    members: ["lib/ranking", "lib/render", "lib/errors", "lib/env", "lib/time-slices"],
  },
  // Files in, records out (and the CSV writer): pure, no database.
  { name: "records", members: ["lib/import"] },
  // Schema, client, migrations: nothing from the domain.
  { name: "database", members: ["db"] },
  // The domain services over the database.
  { name: "domain", members: ["lib/arena"] },
  // Adapters: HTTP helpers, authentication, the CLI.
  { name: "adapters", members: ["lib/http", "lib/auth", "lib/cli"] },
  // React UI: receives its data as props, so it imports the data layers' types only.
  { name: "components", members: ["components"] },
  // Entry points: pages and routes, the proxy, the server's start-up, the scripts.
  {
    name: "entry points",
    members: ["app", "proxy", "instrumentation", "next.config", "scripts"],
  },
];

/** Every foundation module stands alone: it imports from itself and the vocabulary only. */
const isolated = new Set(LAYERS[1]?.members);

/** Layers a component may import types from but never values (nor call). */
const TYPES_ONLY_FOR_COMPONENTS = new Set(["database", "domain"]);

const SCANNED = ["lib", "db", "components", "app", "scripts"];
const SCANNED_ROOT_FILES = ["proxy.ts", "instrumentation.ts", "next.config.ts"];
const SOURCE = /\.(ts|tsx|mts|mjs)$/;

function stripExt(p: string): string {
  return p.replace(/\.(ts|tsx|mts|mjs|js|json)$/, "");
}

/** The layer and the member (module) a repository path belongs to, if any. */
function placeOf(repoPath: string): { layer: number; member: string } | undefined {
  const p = stripExt(repoPath);
  for (const [layer, { members }] of LAYERS.entries())
    for (const member of members)
      if (p === member || p.startsWith(`${member}/`)) return { layer, member };
  return undefined;
}

interface Import {
  spec: string;
  typeOnly: boolean;
}

/** Static, re-exported, side-effect and dynamic imports of one source text. */
function importsOf(source: string): Import[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
  const found: Import[] = [];
  // An import clause holds only names, braces, commas, `*`, `as` and `type`.
  for (const m of code.matchAll(/\b(import|export)\s+([\w\s{},*$]*?)\s*from\s*["']([^"']+)["']/g)) {
    const clause = (m[2] ?? "").trim();
    const names = clause
      .replace(/^type\s+/, "")
      .replace(/[{}]/g, "")
      .split(",");
    const typeOnly =
      /^type\s/.test(clause) ||
      (clause.startsWith("{") && names.every((n) => /^\s*type\s/.test(n) || !n.trim()));
    found.push({ spec: m[3] as string, typeOnly });
  }
  for (const m of code.matchAll(/\bimport\s*["']([^"']+)["']/g))
    found.push({ spec: m[1] as string, typeOnly: false });
  for (const m of code.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g))
    found.push({ spec: m[1] as string, typeOnly: false });
  return found;
}

/** The repository path an import names, or undefined for a package. */
function resolve(fromFile: string, spec: string): string | undefined {
  if (spec.startsWith("@/")) return path.posix.normalize(spec.slice(2));
  if (spec.startsWith(".")) return path.posix.join(path.posix.dirname(fromFile), spec);
  return undefined;
}

/** Why `file` may not import `imp`, or undefined when it may. */
function violation(file: string, imp: Import): string | undefined {
  const from = placeOf(file);
  if (!from) return `${file} belongs to no layer (add it to LAYERS in tests/layering.test.ts)`;
  const target = resolve(file, imp.spec);
  if (target === undefined) return undefined;
  const to = placeOf(target);
  const what = `${file} imports "${imp.spec}"`;
  if (!to) return `${what}, which is outside the app's layers`;
  const fromName = LAYERS[from.layer]?.name;
  const toName = LAYERS[to.layer]?.name ?? "";
  if (isolated.has(from.member) && to.member !== from.member && to.layer >= from.layer)
    return `${what}: ${from.member} is a foundation module and stands alone`;
  if (to.layer > from.layer) return `${what}: ${fromName} may not depend on ${toName}`;
  if (fromName === "components" && TYPES_ONLY_FOR_COMPONENTS.has(toName) && !imp.typeOnly)
    return `${what}: components get their data as props from app/ and import ${toName} types only`;
  return undefined;
}

function sourceFiles(): string[] {
  const out: string[] = [...SCANNED_ROOT_FILES];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name !== "migrations" && entry.name !== "node_modules") walk(rel);
      } else if (SOURCE.test(entry.name) && !/\.test\.ts$|\.d\.mts$/.test(entry.name)) {
        out.push(rel);
      }
    }
  };
  for (const dir of SCANNED) walk(dir);
  return out;
}

describe("layering", () => {
  it("reads every kind of import the sources use", () => {
    const text = [
      'import { a } from "@/lib/arena/x";',
      'import type { B } from "../db/schema";',
      'import { type C, type D } from "@/lib/arena/y";',
      'export { e } from "./z";',
      'import "server-only";',
      'const m = await import("./lib/http/fast-path");',
      "// import { no } from '@/lib/arena/commented';",
    ].join("\n");
    expect(importsOf(text)).toEqual([
      { spec: "@/lib/arena/x", typeOnly: false },
      { spec: "../db/schema", typeOnly: true },
      { spec: "@/lib/arena/y", typeOnly: true },
      { spec: "./z", typeOnly: false },
      { spec: "server-only", typeOnly: false },
      { spec: "./lib/http/fast-path", typeOnly: false },
    ]);
  });

  it("refuses an arrow that points up, and allows one that points down", () => {
    const value = (spec: string): Import => ({ spec, typeOnly: false });
    expect(violation("lib/import/types.ts", value("@/lib/arena/catalog"))).toMatch(/records/);
    expect(violation("db/index.ts", value("@/lib/arena/import-cleanup"))).toMatch(/database/);
    expect(violation("lib/ranking/bt.ts", value("@/lib/render/x"))).toMatch(/foundation/);
    expect(violation("lib/ranking/elo.ts", value("../winner"))).toBeUndefined();
    expect(violation("lib/winner.ts", value("@/lib/ranking/types"))).toMatch(/vocabulary/);
    expect(violation("components/x.tsx", value("@/db"))).toMatch(/props/);
    expect(violation("components/x.tsx", { spec: "@/db/schema", typeOnly: true })).toBeUndefined();
    expect(violation("lib/arena/x.ts", value("@/lib/import/parse"))).toBeUndefined();
    expect(violation("app/page.tsx", value("@/lib/arena/leaderboard"))).toBeUndefined();
    expect(violation("lib/new-thing.ts", value("zod"))).toMatch(/no layer/);
  });

  it("holds for every source file", () => {
    const files = sourceFiles();
    expect(files.length).toBeGreaterThan(150);
    let imports = 0;
    const problems: string[] = [];
    for (const file of files) {
      for (const imp of importsOf(fs.readFileSync(path.join(ROOT, file), "utf8"))) {
        imports++;
        const why = violation(file, imp);
        if (why) problems.push(why);
      }
    }
    expect(imports).toBeGreaterThan(500);
    expect(problems).toEqual([]);
  });
});

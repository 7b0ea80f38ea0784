/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`, e.g. `bench/load.ts --cpu-prof`) of the
 * production server: a top-down split of the CPU time by layer (Next.js routing and adapters,
 * route handlers, JSON, zod, drizzle, SQLite execution, commit/fsync, page rendering, …), self
 * time by package and the top self-time functions.
 *
 *   npx tsx bench/profile-summary.ts FILE.cpuprofile [--from 8] [--to 68] [--top 30]
 *
 * The server bundle is minified, so frames are mapped back to their original file and package
 * through the .js.map files Next.js writes beside its chunks (node:module's SourceMap).
 * better-sqlite3's native calls have no frame of their own: their time is the self time of the JS
 * function that called them, so the self time of better-sqlite3's transaction wrapper is BEGIN +
 * COMMIT (with its fsync under synchronous=FULL), and the self time of drizzle's better-sqlite3
 * session methods (run/get/all/values) is SQLite executing the statements.
 */
import fs from "node:fs";
import { SourceMap } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
export interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** A frame as it was written: original file (relative), function name, package. */
interface Frame {
  name: string;
  file: string;
  line: number;
  pkg: string;
  native: boolean;
}

const maps = new Map<string, SourceMap | null>();

function sourceMapFor(file: string): SourceMap | null {
  let m = maps.get(file);
  if (m !== undefined) return m;
  m = null;
  try {
    const mapFile = `${file}.map`;
    if (fs.existsSync(mapFile)) m = new SourceMap(JSON.parse(fs.readFileSync(mapFile, "utf8")));
  } catch {
    m = null;
  }
  maps.set(file, m);
  return m;
}

function packageOfPath(p: string): string | null {
  const i = p.lastIndexOf("node_modules/");
  if (i < 0) return null;
  const rest = p.slice(i + "node_modules/".length).split("/");
  const name = rest[0]?.startsWith("@") ? `${rest[0]}/${rest[1]}` : (rest[0] ?? "?");
  if (name === "next") {
    if (/compiled\/react-dom|react-dom/.test(p)) return "react-dom (server render)";
    if (/compiled\/react-server-dom|react-server-dom/.test(p)) return "react-server-dom (RSC)";
    if (/compiled\/react\b/.test(p)) return "react";
  }
  return name;
}

function resolve(cf: CallFrame): Frame {
  const name = cf.functionName || "(anonymous)";
  if (!cf.url) {
    return {
      name,
      file: "",
      line: 0,
      pkg: name.startsWith("(") ? name : "native/builtin",
      native: !name.startsWith("("),
    };
  }
  if (cf.url.startsWith("node:"))
    return { name, file: cf.url, line: cf.lineNumber + 1, pkg: "node", native: false };
  const file = cf.url.startsWith("file://") ? fileURLToPath(cf.url) : cf.url;
  const map = sourceMapFor(file);
  if (map) {
    const e = map.findEntry(cf.lineNumber, cf.columnNumber) as {
      originalSource?: string;
      originalLine?: number;
      name?: string;
    };
    if (e?.originalSource) {
      const orig = path.normalize(e.originalSource.replace(/^(\.\.\/)+/, "").replace(/%40/g, "@"));
      const original = orig.replace(/^\[project\]\//, "");
      return {
        name: cf.functionName || e.name || "(anonymous)",
        file: original,
        line: (e.originalLine ?? 0) + 1,
        pkg: packageOfPath(original) ?? packageOfPath(file) ?? appArea(original),
        native: false,
      };
    }
  }
  const rel = file.replace(/^.*?node_modules\//, "node_modules/");
  return {
    name,
    file: rel,
    line: cf.lineNumber + 1,
    pkg: packageOfPath(file) ?? appArea(file),
    native: false,
  };
}

/** The app's own code, by area: app/api, app/(pages), lib/arena, lib/http, db, … */
function appArea(file: string): string {
  const parts = file.split("/");
  const i = parts.findIndex((p) => ["app", "lib", "db", "components", "scripts"].includes(p));
  if (i < 0) return file.includes(".next/") ? "app bundle (unmapped)" : file;
  const top = parts[i] as string;
  if (top === "app") return parts[i + 1] === "api" ? "app/api (route handlers)" : "app (pages)";
  if (top === "lib" || top === "components") return `${top}/${parts[i + 1] ?? ""}`;
  if (file.endsWith("proxy.ts")) return "proxy.ts";
  return top;
}

const MARKDOWN =
  /^(katex|highlight\.js|lowlight|react-markdown|remark-|rehype-|micromark|mdast-|hast-|hastscript|unified|unist-|vfile|property-information|space-separated|comma-separated|html-url-attributes|devlop|decode-named|character-entities|estree-util|style-to)/;

/**
 * Layers, most specific first: the first rule matching the leaf (for the native SQLite rules) or
 * any frame on the stack claims the sample.
 */
const RULES: { name: string; leaf?: boolean; test: (f: Frame) => boolean }[] = [
  { name: "GC", leaf: true, test: (f) => f.name === "(garbage collector)" },
  { name: "idle", leaf: true, test: (f) => f.name === "(idle)" },
  { name: "V8 (program)", leaf: true, test: (f) => f.name === "(program)" },
  {
    name: "SQLite BEGIN/COMMIT incl. fsync (better-sqlite3 transaction)",
    leaf: true,
    test: (f) => f.pkg === "better-sqlite3" && f.file.endsWith("methods/transaction.js"),
  },
  {
    name: "SQLite statement execution (native run/get/all)",
    leaf: true,
    test: (f) =>
      (f.pkg === "drizzle-orm" &&
        /better-sqlite3\/session\.js$/.test(f.file) &&
        /^(run|get|all|values|raw)$/.test(f.name)) ||
      (f.native && /^(run|get|all|iterate|raw|pluck)$/.test(f.name)),
  },
  {
    name: "SQLite prepare (native)",
    leaf: true,
    test: (f) =>
      (f.pkg === "drizzle-orm" && /better-sqlite3\/session\.js$/.test(f.file)) ||
      (f.native && f.name === "prepare"),
  },
  { name: "zod", test: (f) => f.pkg === "zod" },
  { name: "Bradley–Terry fit (lib/ranking)", test: (f) => f.pkg === "lib/ranking" },
  { name: "drizzle-orm (query building, row mapping)", test: (f) => f.pkg === "drizzle-orm" },
  { name: "markdown / KaTeX / highlight (page render)", test: (f) => MARKDOWN.test(f.pkg) },
  {
    name: "React server render + RSC payload (page)",
    test: (f) => /^react/.test(f.pkg) || f.pkg === "app (pages)" || f.pkg.startsWith("components/"),
  },
  {
    name: "JSON.stringify / JSON.parse",
    leaf: true,
    test: (f) => f.native && /^(stringify|parse)$/.test(f.name),
  },
  {
    name: "crypto (cookie HMAC, random ids)",
    test: (f) => f.file.startsWith("node:internal/crypto") || /^(Hmac|randomBytes)$/.test(f.name),
  },
  {
    name: "Node HTTP parser / socket writes",
    test: (f) =>
      /^node:(_http_|net$|internal\/stream_base_commons)/.test(f.file) ||
      (f.native && /^(writev|writeUtf8String|writeBuffer|writeLatin1String)$/.test(f.name)),
  },
  {
    name: "web streams / undici Request+Response (Next adapters)",
    test: (f) => /^node:internal\/(webstreams|deps\/undici)/.test(f.file),
  },
  {
    name: "module loading (require/compile: warm-up)",
    test: (f) => /^node:internal\/modules/.test(f.file),
  },
  { name: "proxy.ts (middleware)", test: (f) => f.pkg === "proxy.ts" },
  {
    name: "app code: route handlers + lib (own JS)",
    test: (f) => f.pkg.startsWith("app/api") || f.pkg.startsWith("lib/") || f.pkg === "db",
  },
  {
    name: "Next.js (server, routing, app-route runtime)",
    test: (f) => f.pkg === "next" || f.pkg === "@next/env",
  },
  { name: "Node other (async hooks, timers, …)", test: (f) => f.pkg === "node" },
];

export interface Row {
  label: string;
  ms: number;
  pct: number;
}
export interface Summary {
  windowMs: number;
  busyMs: number;
  topDown: Row[];
  byPackage: Row[];
  topSelf: Row[];
  inclusive: Row[];
}

export function summarise(
  profile: Profile,
  opts: { top?: number; fromMs?: number; toMs?: number } = {},
): Summary {
  const top = opts.top ?? 30;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const frames = new Map<number, Frame>();
  const frame = (id: number) => {
    let f = frames.get(id);
    if (!f) {
      f = resolve((byId.get(id) as ProfileNode).callFrame);
      frames.set(id, f);
    }
    return f;
  };

  // self time per node within the window (time since the profile started)
  const selfUs = new Map<number, number>();
  let t = 0;
  const from = (opts.fromMs ?? 0) * 1000;
  const to = (opts.toMs ?? Number.POSITIVE_INFINITY) * 1000;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    const dt = profile.timeDeltas[i + 1] ?? 0;
    if (t < from || t > to) continue;
    const id = profile.samples[i] as number;
    selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
  }

  const cats = new Map<string, number>();
  const pkgs = new Map<string, number>();
  const self = new Map<string, number>();
  const incl = new Map<string, number>();
  let windowUs = 0;
  const key = (f: Frame) => `${f.name}  ${f.file ? `${f.file}:${f.line}` : ""}`;
  const add = (m: Map<string, number>, k: string, us: number) => m.set(k, (m.get(k) ?? 0) + us);
  for (const [id, us] of selfUs) {
    windowUs += us;
    const leaf = frame(id);
    const stack: Frame[] = [];
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) stack.push(frame(n));
    let cat = "other";
    for (const rule of RULES) {
      if (rule.leaf ? rule.test(leaf) : stack.some(rule.test)) {
        cat = rule.name;
        break;
      }
    }
    add(cats, cat, us);
    if (cat === "idle") continue;
    add(pkgs, leaf.pkg, us);
    add(self, key(leaf), us);
    const seen = new Set<string>();
    for (const f of stack) {
      const k = key(f);
      if (!seen.has(k) && !f.name.startsWith("(")) add(incl, k, us);
      seen.add(k);
    }
  }
  const busy = windowUs - (cats.get("idle") ?? 0);
  const rows = (m: Map<string, number>, n: number) =>
    [...m]
      .filter(([k]) => k !== "idle")
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([label, us]) => ({ label, ms: us / 1000, pct: (100 * us) / busy }));
  return {
    windowMs: windowUs / 1000,
    busyMs: busy / 1000,
    topDown: rows(cats, 100),
    byPackage: rows(pkgs, top),
    topSelf: rows(self, top),
    inclusive: rows(incl, top),
  };
}

export function printSummary(s: Summary, log: (line: string) => void = console.log): void {
  const line = (r: Row) =>
    log(`${r.pct.toFixed(1).padStart(6)}%  ${r.ms.toFixed(0).padStart(7)} ms  ${r.label}`);
  log(
    `window ${(s.windowMs / 1000).toFixed(1)} s, main thread busy ${(s.busyMs / 1000).toFixed(1)} s (${((100 * s.busyMs) / s.windowMs).toFixed(0)}%); percentages are of busy time\n`,
  );
  log("top-down split by layer (innermost matching layer on the stack):");
  for (const r of s.topDown) line(r);
  log("\nself time by package / app area:");
  for (const r of s.byPackage) line(r);
  log("\ntop self-time functions:");
  for (const r of s.topSelf) line(r);
  log("\ntop inclusive (total) time:");
  for (const r of s.inclusive) line(r);
}

if (process.argv[1] && import.meta.url === `file://${path.resolve(process.argv[1])}`) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      top: { type: "string", default: "30" },
      from: { type: "string" },
      to: { type: "string" },
      json: { type: "string" },
    },
  });
  const file = positionals[0];
  if (!file) {
    console.error("usage: npx tsx bench/profile-summary.ts FILE.cpuprofile [--from S] [--to S]");
    process.exit(2);
  }
  const summary = summarise(JSON.parse(fs.readFileSync(file, "utf8")) as Profile, {
    top: Number(values.top),
    fromMs: values.from === undefined ? undefined : Number(values.from) * 1000,
    toMs: values.to === undefined ? undefined : Number(values.to) * 1000,
  });
  printSummary(summary);
  if (values.json) fs.writeFileSync(values.json, JSON.stringify(summary, null, 2));
}

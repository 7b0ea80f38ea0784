/**
 * What `next build` reads from the repository: when any of it is newer than the last build,
 * the build is stale. One list for `npm start` (scripts/start.ts) and the benchmarks' server
 * harness; scripts/build-sources.test.ts checks it against the repository's top level.
 */
import fs from "node:fs";
import path from "node:path";

export const BUILD_SOURCES = [
  "app",
  "components",
  "lib",
  "db",
  "public",
  "proxy.ts",
  "instrumentation.ts",
  "next.config.ts",
  "postcss.config.mjs",
  "tsconfig.json",
  "package.json",
  "package-lock.json",
] as const;

/** The newest modification time under `p` (0 when it does not exist). */
function newestMtime(p: string): number {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(p)) {
    if (entry === "node_modules" || entry.startsWith(".")) continue;
    newest = Math.max(newest, newestMtime(path.join(p, entry)));
  }
  return newest;
}

/** True when `root` has no production build, or a source changed after it was built. */
export function buildIsStale(root: string): boolean {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (!fs.existsSync(buildId)) return true;
  const built = fs.statSync(buildId).mtimeMs;
  return BUILD_SOURCES.some((s) => newestMtime(path.join(root, s)) > built);
}

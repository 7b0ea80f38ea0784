/**
 * Runs once when the production server starts: hands scripts/server.mjs the fast path for the
 * two hot endpoints (see lib/http/fast-path.ts). Built by Next, so it shares the app's code
 * and configuration; ARENA_FAST_PATH=0 leaves every request to Next.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.ARENA_FAST_PATH === "0") return;
  const { fastPath } = await import("./lib/http/fast-path");
  (globalThis as Record<symbol, unknown>)[Symbol.for("arena.fastPath")] = fastPath;
}

/**
 * Runs once when the server starts (`next start`, `next dev`, scripts/server.mjs), before any
 * route answers; never during `next build`. Built by Next, so it shares the app's code and
 * configuration. It checks the whole configuration (a bad variable stops the start with its
 * name), runs the arena's start-up step (lib/arena/start-up.ts), and hands scripts/server.mjs
 * what it needs: the number of trusted proxies, and the fast path for the two hot endpoints
 * (see lib/http/fast-path.ts; ARENA_FAST_PATH=0 leaves every request to Next).
 */

/** Set by scripts/server.mjs before Next starts; Next runs register() on its own schedule. */
interface StartHook {
  started(settings: { trustProxy: number }): void;
  failed(error: unknown): void;
}

export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const shared = globalThis as Record<symbol, unknown>;
  const hook = shared[Symbol.for("arena.start")] as StartHook | undefined;
  try {
    const { defaultLeaderboardMethod, env } = await import("./lib/env");
    const { getDb } = await import("./db");
    const { startArena } = await import("./lib/arena/start-up");
    const config = env();
    const seeded = await startArena(await getDb(), { demoData: config.ARENA_DEMO_DATA });
    if (seeded)
      console.log(
        `Loaded the demo set: ${seeded.prompts} prompts, ${seeded.responses} responses, ${seeded.models} models.`,
      );
    if (config.ARENA_FIT_WORKER) {
      const { startFitWorker } = await import("./lib/arena/fit-worker/start");
      startFitWorker({
        databaseUrl: config.DATABASE_URL,
        defaultMethod: defaultLeaderboardMethod(),
      });
    }
    if (config.ARENA_FAST_PATH) {
      const { fastPath } = await import("./lib/http/fast-path");
      shared[Symbol.for("arena.fastPath")] = fastPath;
    }
    hook?.started({ trustProxy: config.TRUST_PROXY });
  } catch (e) {
    hook?.failed(e);
    throw e;
  }
}

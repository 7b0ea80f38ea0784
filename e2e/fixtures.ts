import fs from "node:fs";
import path from "node:path";
import { test as base } from "@playwright/test";
import { ADMIN, BASE_PORT, DEFAULT_SERVER_ENV, SpecServers } from "./support/servers";

export { expect } from "@playwright/test";
export { ADMIN, DEFAULT_SERVER_ENV };

interface SpecOptions {
  /**
   * Environment for this spec file's server, over DEFAULT_SERVER_ENV:
   * `test.use({ serverEnv: { ARENA_FAST_PATH: "0" } })`.
   */
  serverEnv: Record<string, string>;
  /** `false` for a spec that starts the servers it needs itself (baseURL is then unset). */
  specServer: boolean;
}

/**
 * Playwright's `test`, with `baseURL` pointing at a production server of this spec file's own,
 * on a fresh database (e2e/support/servers.ts): no spec sees another's votes, whatever the order.
 */
export const test = base.extend<SpecOptions, { specServers: SpecServers }>({
  serverEnv: [{}, { option: true }],
  specServer: [true, { option: true }],
  specServers: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern
    async ({}, use, workerInfo) => {
      const servers = new SpecServers(
        BASE_PORT + 1 + workerInfo.parallelIndex,
        workerInfo.parallelIndex,
      );
      await use(servers);
      await servers.close();
    },
    { scope: "worker", timeout: 60_000 },
  ],
  baseURL: [
    async ({ specServers, specServer, serverEnv }, use, testInfo) => {
      if (!specServer) return use(undefined);
      // localhost, not 127.0.0.1: e2e/auth.spec.ts plays a same-site attacker on localhost
      const server = await specServers.serve(testInfo.file, serverEnv);
      await use(`http://localhost:${server.port}`);
    },
    { scope: "test", timeout: 150_000 },
  ],
});

interface DemoModel {
  slug: string;
  displayName: string;
  organization: string;
}

/** Every string that would give a demo model away: slug, display name, organization. */
export function identityStrings(): string[] {
  const models: DemoModel[] = JSON.parse(
    fs.readFileSync(path.resolve("db/seed/demo/models.json"), "utf8"),
  );
  return models.flatMap((m) => [m.slug, m.displayName, m.organization]);
}

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : [p];
  });
}

/** `app/admin/(x)/models/[id]/page.tsx` → `/admin/models/1`: the URL a file-system route answers. */
function routeUrl(file: string): string {
  const rel = path.relative(path.resolve("app"), path.dirname(file));
  const parts = rel
    .split(path.sep)
    .filter((s) => !/^\(.*\)$/.test(s))
    .map((s) => (/^\[.*\]$/.test(s) ? "1" : s));
  return `/${parts.join("/")}`;
}

/** Every admin page URL, found on disk so a new page cannot be forgotten. */
export function adminPages(): string[] {
  return walk(path.resolve("app/admin"))
    .filter((f) => /page\.tsx$/.test(f))
    .map((f) => routeUrl(f));
}

/** Every admin API route with the HTTP methods its file exports. */
export function adminApiRoutes(): { url: string; methods: string[] }[] {
  return walk(path.resolve("app/api/admin"))
    .filter((f) => /route\.ts$/.test(f))
    .map((f) => {
      const src = fs.readFileSync(f, "utf8");
      const methods = [
        ...src.matchAll(
          /export (?:async )?function (GET|POST|PUT|PATCH|DELETE)\b|as (GET|POST|PUT|PATCH|DELETE)\b/g,
        ),
      ].map((m) => (m[1] ?? m[2]) as string);
      return { url: routeUrl(f), methods: [...new Set(methods)] };
    });
}

/**
 * `tsx scripts/ensure-build.ts`: the production build, made only when it is missing or a source
 * is newer (as `npm start` decides). `npm run test:e2e` runs it once before the SQLite and
 * PostgreSQL suites start side by side, so that they do not both build into one .next.
 */
import { execFileSync } from "node:child_process";
import { buildIsStale } from "./build-sources";

if (buildIsStale(process.cwd())) {
  console.error("building (npx next build) …");
  execFileSync("npx", ["next", "build"], {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
}

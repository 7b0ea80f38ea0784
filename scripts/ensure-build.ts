/**
 * The production build, made only when the sources changed since the last one (as `npm start`
 * and the e2e set-up decide): run once before the two e2e runs start side by side, so that they
 * do not both build into the same .next folder.
 */
import { execFileSync } from "node:child_process";
import { buildIsStale } from "./build-sources";

const root = process.cwd();
if (buildIsStale(root)) {
  console.error("building (npx next build) …");
  execFileSync("npx", ["next", "build"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
}

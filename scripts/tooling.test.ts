/**
 * What every npm command prints on a fresh clone: no warning about the project's own config, and
 * no Next telemetry (a notice on the first build, usage reports after) from the scripts we ship.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));

describe("npm and Next tooling", () => {
  it("npm reads the project's config without a warning", () => {
    const run = spawnSync("npm", ["pkg", "get", "name"], { cwd: root, encoding: "utf8" });
    expect(run.status).toBe(0);
    expect(run.stderr).not.toMatch(/Unknown (project|user|env) config/);
  });

  it("better-sqlite3 still builds from source (prebuild-install reads .prebuild-installrc)", () => {
    const pkgDir = path.join(root, "node_modules", "better-sqlite3");
    const out = execFileSync(
      process.execPath,
      [
        "-e",
        "console.log(require('prebuild-install/rc')(require('./package.json')).buildFromSource)",
      ],
      { cwd: pkgDir, encoding: "utf8", env: { ...process.env, npm_config_build_from_source: "" } },
    );
    expect(out.trim()).toBe("true");
  });

  it("every script that runs Next turns telemetry off", () => {
    const scripts = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"))
      .scripts as Record<string, string>;
    const runsNext = Object.entries(scripts).filter(([, cmd]) => /(^|\s)next /.test(cmd));
    expect(runsNext.length).toBeGreaterThan(0);
    for (const [name, cmd] of runsNext) {
      expect(cmd, `npm run ${name}`).toMatch(/NEXT_TELEMETRY_DISABLED=1 next /);
    }
    const start = fs.readFileSync(path.join(root, "scripts", "start.ts"), "utf8");
    expect(start).toMatch(/process\.env\.NEXT_TELEMETRY_DISABLED \?\?= "1"/);
  });
});

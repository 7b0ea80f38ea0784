/**
 * Crash test: a production server under a vote load is SIGKILLed mid-load, restarted on the same
 * database, and every acknowledged vote must still be there (see tests/helpers/crash-check.ts for what is
 * checked). Several kill cycles on one database.
 *
 *   npx tsx bench/crash.ts [--cycles 5] [--voters 16] [--min-ms 1500] [--max-ms 4000] [--keep]
 *                          [--root DIR] [--env K=V …] [--no-build]
 *
 * Builds .next first when it is stale. Port 3310 (or the next free one up to 3399), database
 * under bench/.cache/. Exits non-zero on any lost vote, tally mismatch or integrity problem.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { runCrashTest } from "../tests/helpers/crash-check";
import { ensureBuild } from "../tests/helpers/server-harness";

const { values } = parseArgs({
  options: {
    cycles: { type: "string", default: "5" },
    voters: { type: "string", default: "16" },
    "min-ms": { type: "string", default: "1500" },
    "max-ms": { type: "string", default: "4000" },
    port: { type: "string", default: "3310" },
    "no-build": { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
    root: { type: "string" },
    env: { type: "string", multiple: true, default: [] },
  },
});
const env = Object.fromEntries(
  (values.env as string[]).map((kv) => [
    kv.slice(0, kv.indexOf("=")),
    kv.slice(kv.indexOf("=") + 1),
  ]),
);
const root = values.root ? path.resolve(values.root) : undefined;

if (!values["no-build"]) ensureBuild({ root });
const report = await runCrashTest({
  cycles: Number(values.cycles),
  voters: Number(values.voters),
  loadMs: [Number(values["min-ms"]), Number(values["max-ms"])],
  minAcknowledged: 50,
  preferredPort: Number(values.port),
  keepDatabase: values.keep,
  root,
  env,
  log: (line) => console.log(line),
});

const rows = report.cycles.map((c) => ({
  cycle: c.cycle,
  "acked votes": c.acknowledged,
  "votes in flight": c.votesInFlightAtKill,
  "of which committed": c.inFlightCommitted,
  "battles in flight": c.battlesInFlightAtKill,
  "lost acked": c.missing.length,
  "re-vote ≠ 409": c.revoteNot409.length,
  "tally cells ≠": c.db.tallyMismatches.length,
  integrity: c.db.integrity,
  "load ms": Math.round(c.loadMs),
  "restart ms": Math.round(c.restartMs),
  "verify ms": Math.round(c.verifyMs),
}));
console.table(rows);
console.log(
  `${report.ok ? "PASS" : "FAIL"}: ${report.cycles.length} kill cycles, ${report.cycles.reduce((s, c) => s + c.acknowledged, 0)} acknowledged votes, ${(report.totalMs / 1000).toFixed(1)} s${report.ok ? "" : `; database kept at ${report.database}`}`,
);
for (const f of report.failures.slice(0, 50)) console.log(`  ✗ ${f}`);
process.exit(report.ok ? 0 : 1);

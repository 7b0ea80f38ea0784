import { runCrashTest } from "../tests/helpers/crash-check";
import { killAllServers } from "../tests/helpers/server-harness";
import { expect, test } from "./fixtures";

// It starts its server itself: no per-file server (e2e/fixtures.ts).
test.use({ specServer: false });
// Whatever happens in the test (a timeout included), no server of ours outlives it.
test.afterEach(() => killAllServers());

/**
 * Never lose an acknowledged vote: a production server (its own port in 3300–3399 and its own
 * database: a file under bench/.cache/, or a database on the run's PostgreSQL server) takes a vote
 * load from 12 voters and is SIGKILLed mid-load, then restarted on the same database. Every vote
 * answered 200 must be there with its winner and refuse a second vote (409, with the voter's own
 * cookie); the tallies must equal a recompute from the battles; PRAGMA integrity_check (amcheck on
 * PostgreSQL) must say ok.
 * `npx tsx bench/crash.ts` runs the same check over several kill cycles.
 */
test("a SIGKILL under vote load loses no acknowledged vote", async () => {
  test.setTimeout(90_000);
  const lines: string[] = [];
  const report = await runCrashTest({
    cycles: 1,
    voters: 12,
    loadMs: [1500, 2500],
    minAcknowledged: 50,
    preferredPort: 3340,
    dbName: `e2e-crash-${process.pid}-${Date.now()}`,
    log: (line) => lines.push(line),
  });
  test.info().annotations.push({ type: "crash test", description: lines.join("\n") });
  const cycle = report.cycles[0];
  expect(report.failures, lines.join("\n")).toEqual([]);
  expect(cycle?.acknowledged ?? 0).toBeGreaterThanOrEqual(50);
  expect(cycle?.db.integrity).toBe("ok");
  expect(cycle?.db.tallyMismatches).toEqual([]);
  expect(cycle?.revoteNot409).toEqual([]);
  expect(cycle?.missing).toEqual([]);
});

import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { ArenaDb } from "@/db/client";
import { suspects } from "@/db/schema";
import { isArenaError } from "@/lib/errors";
import { addressKey } from "@/lib/http/address";
import { runHonestVoter, runPromoter, type SimClient } from "@/tests/helpers/arena-sim";
import { seededRng, seedPrompts, testDb } from "@/tests/helpers/db";
import { sweepAnomalies } from "./anomaly-sweep";
import { castVote, createBattle } from "./battles";
import { getLeaderboard } from "./leaderboard";
import { newVoterId } from "./voter-id";

/**
 * The attack an adversarial review ran against a production build — fingerprint the texts by
 * voting "tie", then vote for the target whenever its text shows, skip the rest, new cookie
 * every 9 battles — replayed through the domain functions with the default limits and a
 * simulated clock (a patient attacker waits out every 429). With the defences the target moves
 * less than its 95% interval's half-width; without automatic exclusion it moves more (the
 * control that shows the attack is real).
 */

const SECRET = "simulation-secret-0123456789";
const HOUR = 3_600_000;
const RATINGS = [1250, 1180, 1120, 1080, 1040, 1000, 960, 900];
const SLUGS = RATINGS.map((_, i) => `sim-model-${i}`);
const TARGET = 5;
const LIMITS = { newVotersPerHour: 30, newVotersPerDay: 200, skipsPerHour: 60 };

async function world() {
  const db = await testDb();
  await seedPrompts(db, 48, SLUGS);
  return db;
}

/** The simulation's stand-in for reading an answer: which model wrote it, hence how good it is. */
const quality = (text: string) => RATINGS[Number(/model number (\d+)/.exec(text)?.[1])] as number;

function domainClient(
  db: ArenaDb,
  ip: string,
  clock: { t: number },
  rng: () => number,
  onVote: () => Promise<void> = async () => {},
): SimClient {
  let voter: string | null = null;
  const address = addressKey(ip, SECRET);
  return {
    async draw() {
      for (let wait = 0; wait < 100; wait++) {
        const id = voter ?? newVoterId();
        try {
          const view = await createBattle(db, id, {
            rng,
            now: new Date(clock.t),
            address,
            newVoter: voter === null,
            admission: LIMITS,
            openBattleCap: { max: 10, ttlMs: HOUR },
          });
          voter = id;
          clock.t += 15_000;
          return view;
        } catch (e) {
          if (!isArenaError(e) || e.code !== "rate_limited") throw e;
          clock.t += Number(e.headers?.["Retry-After"] ?? 60) * 1000;
        }
      }
      return null;
    },
    async vote(battleId, winner) {
      const r = await castVote(db, {
        battleId,
        voterId: voter as string,
        winner,
        ttlMs: HOUR,
        now: new Date(clock.t),
      });
      clock.t += 10_000;
      await onVote();
      return r;
    },
    forget() {
      voter = null;
    },
  };
}

async function target(db: ArenaDb) {
  const view = await getLeaderboard(
    db,
    { ci: "bootstrap" },
    { minVotes: 0, bootstrapRounds: 200, maxStalenessMs: 0 },
  );
  const row = view.rows.find((r) => r.model === SLUGS[TARGET]);
  if (!row) throw new Error("target not on the board");
  return row;
}

async function scenario(autoExclude: boolean) {
  const db = await world();
  const rng = seededRng(7);
  const clock = { t: Date.UTC(2026, 0, 1) };
  const sweep = () => sweepAnomalies(db, { alpha: 0.02, autoExclude });
  for (let v = 0; v < 40; v++) {
    await runHonestVoter(domainClient(db, `198.51.100.${v + 1}`, clock, rng), 30, quality, rng);
  }
  await sweep();
  const before = await target(db);
  let votes = 0;
  const attacker = domainClient(db, "203.0.113.66", clock, rng, async () => {
    if (++votes % 10 === 0) await sweep();
  });
  const report = await runPromoter(attacker, SLUGS[TARGET] as string, 450);
  await sweep();
  const after = await target(db);
  const [flagged] = await db
    .select()
    .from(suspects)
    .where(eq(suspects.key, addressKey("203.0.113.66", SECRET)));
  const others = (await db.select().from(suspects)).filter((x) => x.key !== flagged?.key);
  return { before, after, report, flagged, others, hours: (clock.t - Date.UTC(2026, 0, 1)) / HOUR };
}

describe("one address promoting a model by fingerprinting responses", () => {
  it("moves the target less than its interval's half-width, and the address is flagged", async () => {
    const { before, after, report, flagged, others } = await scenario(true);
    const halfWidth = (before.ciUpper - before.ciLower) / 2;
    expect(report.battles).toBe(450);
    expect(report.voters).toBeGreaterThan(40);
    expect(Math.abs(after.rating - before.rating)).toBeLessThan(halfWidth);
    expect(flagged?.status).toBe("flagged");
    expect(flagged?.reason).toBeTruthy();
    // None of the 40 honest voters and addresses behind the 1,200 baseline votes.
    expect(others).toEqual([]);
  });

  it("without automatic exclusion the same attack does move the target (the control)", async () => {
    const { before, after, flagged } = await scenario(false);
    const halfWidth = (before.ciUpper - before.ciLower) / 2;
    expect(after.rating - before.rating).toBeGreaterThan(halfWidth);
    // Still found, and listed for the admins.
    expect(flagged?.status).toBe("suspected");
  });
});

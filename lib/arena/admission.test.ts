import { describe, expect, it } from "vitest";
import { seedPrompts, testDb } from "@/tests/helpers/db";
import { castVote, createBattle } from "./battles";

const HOUR = 3_600_000;
const LIMITS = { newVotersPerHour: 3, newVotersPerDay: 5, skipsPerHour: 4 };
const T0 = Date.UTC(2026, 0, 1);

function draw(
  db: ReturnType<typeof testDb>,
  voter: string,
  address: string,
  t: number,
  newVoter = true,
) {
  return createBattle(db, voter, { address, newVoter, admission: LIMITS, now: new Date(t) });
}

describe("admission", () => {
  it("limits new voters per address per hour and per day, and says when to come back", () => {
    const db = testDb();
    seedPrompts(db, 20, ["m1", "m2", "m3"]);
    for (let i = 0; i < 3; i++) {
      const b = draw(db, `voter-${i}-aaaaaaaaaaaaaaaa`, "addr", T0 + i * 1000);
      castVote(db, {
        battleId: b.id,
        voterId: `voter-${i}-aaaaaaaaaaaaaaaa`,
        winner: "a",
        ttlMs: HOUR,
        now: new Date(T0 + i * 1000),
      });
    }
    let refusal: unknown;
    try {
      draw(db, "voter-3-aaaaaaaaaaaaaaaa", "addr", T0 + 5000);
    } catch (e) {
      refusal = e;
    }
    expect(refusal).toMatchObject({ code: "rate_limited" });
    // Retry-After points at the moment the oldest of the three leaves the hour.
    const retry = Number((refusal as { headers: Record<string, string> }).headers["Retry-After"]);
    expect(retry).toBeGreaterThan(HOUR / 1000 - 10);
    expect(retry).toBeLessThanOrEqual(HOUR / 1000);
    // Nothing of the refused voter was written.
    expect(db.$client.prepare("select count(*) n from voters").get()).toEqual({ n: 3 });
    // Another address is not affected; an hour later this one may again, until the day is full.
    expect(() => draw(db, "voter-x-aaaaaaaaaaaaaaaa", "other", T0 + 6000)).not.toThrow();
    expect(() => draw(db, "voter-4-aaaaaaaaaaaaaaaa", "addr", T0 + HOUR + 5000)).not.toThrow();
    expect(() => draw(db, "voter-5-aaaaaaaaaaaaaaaa", "addr", T0 + HOUR + 6000)).not.toThrow();
    expect(() => draw(db, "voter-6-aaaaaaaaaaaaaaaa", "addr", T0 + HOUR + 7000)).toThrow(/per day/);
  });

  it("counts battles drawn and left unvoted against the address, across voters", () => {
    const db = testDb();
    seedPrompts(db, 20, ["m1", "m2", "m3"]);
    draw(db, "skipper-1-aaaaaaaaaaaaaa", "addr", T0);
    draw(db, "skipper-1-aaaaaaaaaaaaaa", "addr", T0 + 1000, false);
    draw(db, "skipper-2-aaaaaaaaaaaaaa", "addr", T0 + 2000);
    const open = draw(db, "skipper-2-aaaaaaaaaaaaaa", "addr", T0 + 3000, false);
    expect(() => draw(db, "skipper-3-aaaaaaaaaaaaaa", "addr", T0 + 4000)).toThrow(
      /left without a vote/,
    );
    // Voting on one frees a place.
    castVote(db, {
      battleId: open.id,
      voterId: "skipper-2-aaaaaaaaaaaaaa",
      winner: "tie",
      ttlMs: HOUR,
      now: new Date(T0 + 5000),
    });
    expect(() => draw(db, "skipper-2-aaaaaaaaaaaaaa", "addr", T0 + 6000, false)).not.toThrow();
    // Skips older than an hour no longer count.
    expect(() => draw(db, "skipper-3-aaaaaaaaaaaaaa", "addr", T0 + HOUR + 10_000)).not.toThrow();
  });
});

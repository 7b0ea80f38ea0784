import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { ArenaDb } from "@/db/client";
import { rows } from "@/db/rows";
import { seedPrompts, testDb } from "@/tests/helpers/db";
import { castVote, createBattle } from "./battles";

const HOUR = 3_600_000;
const LIMITS = { newVotersPerHour: 3, newVotersPerDay: 5, skipsPerHour: 4 };
const T0 = Date.UTC(2026, 0, 1);

function draw(db: ArenaDb, voter: string, address: string, t: number, newVoter = true) {
  return createBattle(db, voter, { address, newVoter, admission: LIMITS, now: new Date(t) });
}

describe("admission", () => {
  it("limits new voters per address per hour and per day, and says when to come back", async () => {
    const db = await testDb();
    await seedPrompts(db, 20, ["m1", "m2", "m3"]);
    for (let i = 0; i < 3; i++) {
      const b = await draw(db, `voter-${i}-aaaaaaaaaaaaaaaa`, "addr", T0 + i * 1000);
      await castVote(db, {
        battleId: b.id,
        voterId: `voter-${i}-aaaaaaaaaaaaaaaa`,
        winner: "a",
        ttlMs: HOUR,
        now: new Date(T0 + i * 1000),
      });
    }
    let refusal: unknown;
    try {
      await draw(db, "voter-3-aaaaaaaaaaaaaaaa", "addr", T0 + 5000);
    } catch (e) {
      refusal = e;
    }
    expect(refusal).toMatchObject({ code: "rate_limited" });
    // Retry-After points at the moment the oldest of the three leaves the hour.
    const retry = Number((refusal as { headers: Record<string, string> }).headers["Retry-After"]);
    expect(retry).toBeGreaterThan(HOUR / 1000 - 10);
    expect(retry).toBeLessThanOrEqual(HOUR / 1000);
    // Nothing of the refused voter was written.
    expect((await rows(db, sql`select count(*) n from voters`))[0]).toEqual({
      n: 3,
    });
    // Another address is not affected; an hour later this one may again, until the day is full.
    await expect(draw(db, "voter-x-aaaaaaaaaaaaaaaa", "other", T0 + 6000)).resolves.toBeDefined();
    await expect(
      draw(db, "voter-4-aaaaaaaaaaaaaaaa", "addr", T0 + HOUR + 5000),
    ).resolves.toBeDefined();
    await expect(
      draw(db, "voter-5-aaaaaaaaaaaaaaaa", "addr", T0 + HOUR + 6000),
    ).resolves.toBeDefined();
    await expect(draw(db, "voter-6-aaaaaaaaaaaaaaaa", "addr", T0 + HOUR + 7000)).rejects.toThrow(
      /per day/,
    );
  });

  it("counts battles drawn and left unvoted against the address, across voters", async () => {
    const db = await testDb();
    await seedPrompts(db, 20, ["m1", "m2", "m3"]);
    await draw(db, "skipper-1-aaaaaaaaaaaaaa", "addr", T0);
    await draw(db, "skipper-1-aaaaaaaaaaaaaa", "addr", T0 + 1000, false);
    await draw(db, "skipper-2-aaaaaaaaaaaaaa", "addr", T0 + 2000);
    const open = await draw(db, "skipper-2-aaaaaaaaaaaaaa", "addr", T0 + 3000, false);
    await expect(draw(db, "skipper-3-aaaaaaaaaaaaaa", "addr", T0 + 4000)).rejects.toThrow(
      /left without a vote/,
    );
    // Voting on one frees a place.
    await castVote(db, {
      battleId: open.id,
      voterId: "skipper-2-aaaaaaaaaaaaaa",
      winner: "tie",
      ttlMs: HOUR,
      now: new Date(T0 + 5000),
    });
    await expect(
      draw(db, "skipper-2-aaaaaaaaaaaaaa", "addr", T0 + 6000, false),
    ).resolves.toBeDefined();
    // Skips older than an hour no longer count.
    await expect(
      draw(db, "skipper-3-aaaaaaaaaaaaaa", "addr", T0 + HOUR + 10_000),
    ).resolves.toBeDefined();
  });

  it("holds both counts when one address's requests arrive at once (PostgreSQL: concurrent transactions)", async () => {
    const db = await testDb();
    await seedPrompts(db, 40, ["m1", "m2", "m3"]);
    const outcomes = (draws: Promise<unknown>[]) =>
      Promise.allSettled(draws).then((all) => ({
        drawn: all.filter((r) => r.status === "fulfilled").length,
        refused: all.filter(
          (r) => r.status === "rejected" && (r.reason as { code?: string }).code === "rate_limited",
        ).length,
      }));
    // Ten new voters at once: each draw reads the address's count of new voters, then records
    // its own. Read side by side, every one would see fewer than three.
    const voters = await outcomes(
      Array.from({ length: 10 }, (_, i) => draw(db, `burst-${i}-aaaaaaaaaaaaaaaa`, "addr", T0)),
    );
    expect(voters).toEqual({ drawn: 3, refused: 7 });
    // The same for battles left unvoted: nine known voters draw at once from another address,
    // where no more than four unvoted battles may stand in the hour.
    const skips = await outcomes(
      Array.from({ length: 9 }, (_, i) =>
        draw(db, `known-${i}-aaaaaaaaaaaaaaaa`, "addr-2", T0 + 1000, false),
      ),
    );
    expect(skips).toEqual({ drawn: 4, refused: 5 });
  });
});

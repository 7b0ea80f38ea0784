import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { ArenaDb } from "@/db/client";
import { battles } from "@/db/schema";
import { addressKey } from "@/lib/http/address";
import { seededRng, seedPrompts, testDb } from "@/tests/helpers/db";
import { decideSuspect, listSuspects } from "./anomalies";
import { sweepAnomalies } from "./anomaly-sweep";
import { castVote, createBattle } from "./battles";
import { readTallies, talliesFromBattles } from "./tallies";
import { setVoterExcluded } from "./voter-review";

const MODELS = ["m1", "m2", "m3", "m4", "m5", "m6"];
const LEFTY = "lefty-aaaaaaaaaaaaaaaa";

function sorted<T extends { category: string; modelAId: number; modelBId: number }>(rows: T[]) {
  return rows
    .filter((r) => "winsA" in r)
    .map(({ category, modelAId, modelBId, ...r }) => ({ category, modelAId, modelBId, ...r }))
    .sort((x, y) =>
      `${x.category}:${x.modelAId}:${x.modelBId}`.localeCompare(
        `${y.category}:${y.modelAId}:${y.modelBId}`,
      ),
    );
}

/** Tallies that moved incrementally must equal a recompute from the battles (zero rows aside). */
async function expectTalliesConsistent(db: ArenaDb) {
  const nonZero = (r: { winsA: number; winsB: number; ties: number; bothBad: number }) =>
    r.winsA + r.winsB + r.ties + r.bothBad > 0;
  expect(sorted((await readTallies(db)).filter(nonZero))).toEqual(
    sorted((await talliesFromBattles(db)).filter(nonZero)),
  );
}

async function arena() {
  const db = await testDb();
  await seedPrompts(db, 60, MODELS, { tags: ["tagged"] });
  const rng = seededRng(21);
  const strength = (id: number) => id * 0.5;
  const vote = async (
    voterId: string,
    ip: string,
    pick: (a: number, b: number) => "a" | "b" | "tie",
  ) => {
    const battle = await createBattle(db, voterId, {
      rng,
      address: addressKey(ip, "s".repeat(20)),
    });
    const [row] = await db
      .select({ a: battles.modelAId, b: battles.modelBId })
      .from(battles)
      .where(eq(battles.id, battle.id));
    if (!row) throw new Error("no battle");
    await castVote(db, {
      battleId: battle.id,
      voterId,
      winner: pick(row.a, row.b),
      ttlMs: 3_600_000,
    });
  };
  const honest = (a: number, b: number) => {
    if (rng() < 0.15) return "tie" as const;
    return rng() < 1 / (1 + Math.exp(strength(b) - strength(a))) ? ("a" as const) : ("b" as const);
  };
  for (let round = 0; round < 40; round++) {
    for (let v = 0; v < 25; v++)
      await vote(`honest-${v}-aaaaaaaaaaaaaaaa`, `198.51.100.${v}`, honest);
    await vote(LEFTY, "203.0.113.9", () => "a");
  }
  return db;
}

describe("the anomaly sweep", () => {
  it("flags a voter who always picks the left side and takes their votes out, not the crowd's", async () => {
    const db = await arena();
    const before = await talliesFromBattles(db);
    const r = await sweepAnomalies(db, { alpha: 0.02, autoExclude: true });
    const flaggedVoters = r.flagged.filter((f) => f.kind === "voter").map((f) => f.key);
    expect(flaggedVoters).toContain(LEFTY);
    expect(flaggedVoters.filter((k) => k.startsWith("honest")).length).toBeLessThanOrEqual(1);
    const lefty = (await listSuspects(db)).find((s) => s.key === LEFTY);
    expect(lefty?.status).toBe("flagged");
    expect(lefty?.reason).toMatch(/left side/);
    // Exactly the lefty's 40 votes left the overall count, incrementally and consistently.
    const total = (rows: typeof before) =>
      rows
        .filter((t) => t.category === "overall")
        .reduce((s, t) => s + t.winsA + t.winsB + t.ties + t.bothBad, 0);
    expect(total(before) - total(await talliesFromBattles(db))).toBeGreaterThanOrEqual(40);
    await expectTalliesConsistent(db);
    // A second sweep with no new votes has nothing to do, and one more vote that crosses no
    // checkpoint reads no record either.
    expect((await sweepAnomalies(db, { alpha: 0.02, autoExclude: true })).judged).toBe(0);
    const extra = await createBattle(db, "honest-1-aaaaaaaaaaaaaaaa", { address: "elsewhere" });
    await castVote(db, {
      battleId: extra.id,
      voterId: "honest-1-aaaaaaaaaaaaaaaa",
      winner: "tie",
      ttlMs: 3_600_000,
    });
    expect((await sweepAnomalies(db, { alpha: 0.02, autoExclude: true })).judged).toBe(0);
  });

  it("lets an admin count a flagged voter again, and the check does not flag them again", async () => {
    const db = await arena();
    await sweepAnomalies(db, { alpha: 0.02, autoExclude: true });
    const out = await talliesFromBattles(db);
    // The lefty was alone at their address, so the address was flagged as well: a vote counts
    // only when neither its voter nor its address is out.
    const address = addressKey("203.0.113.9", "s".repeat(20));
    expect((await listSuspects(db)).find((s) => s.key === address)?.status).toBe("flagged");
    expect(
      await decideSuspect(db, { kind: "voter", key: LEFTY }, "cleared", "admin@example.com"),
    ).toEqual({ votes: 0 });
    expect(await talliesFromBattles(db)).toEqual(out);
    expect(
      await decideSuspect(db, { kind: "address", key: address }, "cleared", "admin@example.com"),
    ).toEqual({ votes: 40 });
    await expectTalliesConsistent(db);
    expect(await talliesFromBattles(db)).not.toEqual(out);
    const cleared = (await listSuspects(db)).find((s) => s.key === LEFTY);
    expect(cleared).toMatchObject({
      status: "cleared",
      excluded: false,
      decidedBy: "admin@example.com",
    });
    await sweepAnomalies(db, { alpha: 0.02, autoExclude: true });
    expect((await listSuspects(db)).find((s) => s.key === LEFTY)?.status).toBe("cleared");
  });

  it("only lists, without excluding, when automatic exclusion is off", async () => {
    const db = await arena();
    const before = await talliesFromBattles(db);
    await sweepAnomalies(db, { alpha: 0.02, autoExclude: false });
    expect((await listSuspects(db)).find((s) => s.key === LEFTY)?.status).toBe("suspected");
    expect(await talliesFromBattles(db)).toEqual(before);
  });

  it("excludes a voter by hand in one transaction, moving only their votes", async () => {
    const db = await arena();
    await setVoterExcluded(db, "honest-3-aaaaaaaaaaaaaaaa", true, "admin@example.com");
    await expectTalliesConsistent(db);
    await setVoterExcluded(db, "honest-3-aaaaaaaaaaaaaaaa", false, "admin@example.com");
    await expectTalliesConsistent(db);
  });

  it("applies a voter's and their address's exclusions made at once, each vote moved once", async () => {
    const db = await testDb();
    await seedPrompts(db, 20, MODELS);
    const address = addressKey("192.0.2.7", "s".repeat(20));
    const rng = seededRng(5);
    for (let i = 0; i < 20; i++) {
      const battle = await createBattle(db, LEFTY, { rng, address });
      await castVote(db, { battleId: battle.id, voterId: LEFTY, winner: "a", ttlMs: 3_600_000 });
    }
    // Both decisions read the same battles as counted; read side by side (PostgreSQL), each
    // would take the votes out of the tallies. Two connections are opened first, so that the
    // two transactions do overlap.
    await Promise.all([readTallies(db), readTallies(db)]);
    const [voter, byAddress] = await Promise.all([
      setVoterExcluded(db, LEFTY, true, "admin@example.com"),
      decideSuspect(db, { kind: "address", key: address }, "excluded", "admin@example.com"),
    ]);
    expect(voter.votes + byAddress.votes).toBe(20);
    await expectTalliesConsistent(db);
    expect((await readTallies(db)).every((t) => t.winsA + t.winsB + t.ties + t.bothBad === 0)).toBe(
      true,
    );
  });

  it("a vote cast while its address is being excluded is excluded too", async () => {
    const db = await testDb();
    await seedPrompts(db, 20, MODELS);
    const address = addressKey("192.0.2.8", "s".repeat(20));
    const rng = seededRng(6);
    const drawn = [];
    for (let i = 0; i < 20; i++) drawn.push(await createBattle(db, LEFTY, { rng, address }));
    // The votes and the decision side by side, on connections opened beforehand (PostgreSQL):
    // a vote that read "not excluded" before the decision committed, and committed after the
    // decision read the address's battles, would stay counted although its address is excluded.
    await Promise.all(Array.from({ length: 8 }, () => readTallies(db)));
    await Promise.all([
      ...drawn
        .slice(0, 10)
        .map((b) =>
          castVote(db, { battleId: b.id, voterId: LEFTY, winner: "a", ttlMs: 3_600_000 }),
        ),
      decideSuspect(db, { kind: "address", key: address }, "excluded", "admin@example.com"),
      ...drawn
        .slice(10)
        .map((b) =>
          castVote(db, { battleId: b.id, voterId: LEFTY, winner: "a", ttlMs: 3_600_000 }),
        ),
    ]);
    const voted = await db
      .select({ excluded: battles.excluded })
      .from(battles)
      .where(eq(battles.address, address));
    expect(voted.filter((b) => !b.excluded)).toEqual([]);
    await expectTalliesConsistent(db);
    expect((await readTallies(db)).every((t) => t.winsA + t.winsB + t.ties + t.bothBad === 0)).toBe(
      true,
    );
  });
});

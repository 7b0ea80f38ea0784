import { describe, expect, it } from "vitest";
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
function expectTalliesConsistent(db: ReturnType<typeof testDb>) {
  const nonZero = (r: { winsA: number; winsB: number; ties: number; bothBad: number }) =>
    r.winsA + r.winsB + r.ties + r.bothBad > 0;
  expect(sorted(readTallies(db).filter(nonZero))).toEqual(
    sorted(talliesFromBattles(db).filter(nonZero)),
  );
}

function arena() {
  const db = testDb();
  seedPrompts(db, 60, MODELS, { tags: ["tagged"] });
  const rng = seededRng(21);
  const strength = (id: number) => id * 0.5;
  const vote = (voterId: string, ip: string, pick: (a: number, b: number) => "a" | "b" | "tie") => {
    const battle = createBattle(db, voterId, { rng, address: addressKey(ip, "s".repeat(20)) });
    const row = db.$client
      .prepare("select model_a_id a, model_b_id b from battles where id = ?")
      .get(battle.id) as { a: number; b: number };
    castVote(db, { battleId: battle.id, voterId, winner: pick(row.a, row.b), ttlMs: 3_600_000 });
  };
  const honest = (a: number, b: number) => {
    if (rng() < 0.15) return "tie" as const;
    return rng() < 1 / (1 + Math.exp(strength(b) - strength(a))) ? ("a" as const) : ("b" as const);
  };
  for (let round = 0; round < 40; round++) {
    for (let v = 0; v < 25; v++) vote(`honest-${v}-aaaaaaaaaaaaaaaa`, `198.51.100.${v}`, honest);
    vote(LEFTY, "203.0.113.9", () => "a");
  }
  return db;
}

describe("the anomaly sweep", () => {
  it("flags a voter who always picks the left side and takes their votes out, not the crowd's", () => {
    const db = arena();
    const before = talliesFromBattles(db);
    const r = sweepAnomalies(db, { alpha: 0.02, autoExclude: true });
    const flaggedVoters = r.flagged.filter((f) => f.kind === "voter").map((f) => f.key);
    expect(flaggedVoters).toContain(LEFTY);
    expect(flaggedVoters.filter((k) => k.startsWith("honest")).length).toBeLessThanOrEqual(1);
    const lefty = listSuspects(db).find((s) => s.key === LEFTY);
    expect(lefty?.status).toBe("flagged");
    expect(lefty?.reason).toMatch(/left side/);
    // Exactly the lefty's 40 votes left the overall count, incrementally and consistently.
    const total = (rows: typeof before) =>
      rows
        .filter((t) => t.category === "overall")
        .reduce((s, t) => s + t.winsA + t.winsB + t.ties + t.bothBad, 0);
    expect(total(before) - total(talliesFromBattles(db))).toBeGreaterThanOrEqual(40);
    expectTalliesConsistent(db);
    // A second sweep with no new votes has nothing to do, and one more vote that crosses no
    // checkpoint reads no record either.
    expect(sweepAnomalies(db, { alpha: 0.02, autoExclude: true }).judged).toBe(0);
    const extra = createBattle(db, "honest-1-aaaaaaaaaaaaaaaa", { address: "elsewhere" });
    castVote(db, {
      battleId: extra.id,
      voterId: "honest-1-aaaaaaaaaaaaaaaa",
      winner: "tie",
      ttlMs: 3_600_000,
    });
    expect(sweepAnomalies(db, { alpha: 0.02, autoExclude: true }).judged).toBe(0);
  });

  it("lets an admin count a flagged voter again, and the check does not flag them again", () => {
    const db = arena();
    sweepAnomalies(db, { alpha: 0.02, autoExclude: true });
    const out = talliesFromBattles(db);
    // The lefty was alone at their address, so the address was flagged as well: a vote counts
    // only when neither its voter nor its address is out.
    const address = addressKey("203.0.113.9", "s".repeat(20));
    expect(listSuspects(db).find((s) => s.key === address)?.status).toBe("flagged");
    expect(
      decideSuspect(db, { kind: "voter", key: LEFTY }, "cleared", "admin@example.com"),
    ).toEqual({ votes: 0 });
    expect(talliesFromBattles(db)).toEqual(out);
    expect(
      decideSuspect(db, { kind: "address", key: address }, "cleared", "admin@example.com"),
    ).toEqual({ votes: 40 });
    expectTalliesConsistent(db);
    expect(talliesFromBattles(db)).not.toEqual(out);
    const cleared = listSuspects(db).find((s) => s.key === LEFTY);
    expect(cleared).toMatchObject({
      status: "cleared",
      excluded: false,
      decidedBy: "admin@example.com",
    });
    sweepAnomalies(db, { alpha: 0.02, autoExclude: true });
    expect(listSuspects(db).find((s) => s.key === LEFTY)?.status).toBe("cleared");
  });

  it("only lists, without excluding, when automatic exclusion is off", () => {
    const db = arena();
    const before = talliesFromBattles(db);
    sweepAnomalies(db, { alpha: 0.02, autoExclude: false });
    expect(listSuspects(db).find((s) => s.key === LEFTY)?.status).toBe("suspected");
    expect(talliesFromBattles(db)).toEqual(before);
  });

  it("excludes a voter by hand in one transaction, moving only their votes", () => {
    const db = arena();
    setVoterExcluded(db, "honest-3-aaaaaaaaaaaaaaaa", true, "admin@example.com");
    expectTalliesConsistent(db);
    setVoterExcluded(db, "honest-3-aaaaaaaaaaaaaaaa", false, "admin@example.com");
    expectTalliesConsistent(db);
  });
});

import { and, eq, inArray, isNotNull, or, sql } from "drizzle-orm";
import type { ArenaDb } from "@/db/client";
import { lockKey } from "@/db/rows";
import {
  battles,
  promptCategories,
  type SuspectKind,
  type SuspectStatus,
  suspects,
  type Winner,
} from "@/db/schema";
import { OVERALL } from "./categories";
import { prepared } from "./prepared";
import { addToTallies } from "./tallies";

/** Statuses that take a voter's or an address's votes out of the count. */
export const EXCLUDING: readonly SuspectStatus[] = ["flagged", "excluded"];
const p = sql.placeholder;

function statements(db: ArenaDb) {
  return prepared(db, "exclusions", () => ({
    excludes: db
      .select({ one: sql<number>`1` })
      .from(suspects)
      .where(
        and(
          inArray(suspects.status, [...EXCLUDING]),
          or(
            and(eq(suspects.kind, "voter"), eq(suspects.key, p("voter"))),
            and(eq(suspects.kind, "address"), eq(suspects.key, p("address"))),
          ),
        ),
      )
      .limit(1)
      .prepare(),
  }));
}

/**
 * Whether a vote from this voter at this address counts: two primary-key reads, on the vote path.
 * In the vote's transaction, under a shared lock on the suspects (lockKey: PostgreSQL), which
 * setSuspect takes exclusively: a decision waits for the votes under way and the votes after it
 * see it. Without it, a vote that read "not excluded" before a decision committed, and committed
 * after the decision read the subject's battles, stayed counted although its subject is excluded.
 */
export async function isExcludedSubject(
  tx: ArenaDb,
  voterId: string,
  address: string | null,
): Promise<boolean> {
  await lockKey(tx, "suspects", "shared");
  const found = await statements(tx).excludes.execute({ voter: voterId, address: address ?? "" });
  return found.length > 0;
}

/** SQL for "this live battle's voter or address is flagged or excluded". */
const wantExcluded = sql<number>`exists (select 1 from ${suspects} s where s.status in ('flagged', 'excluded') and ((s.kind = 'voter' and s.key = ${battles.voterId}) or (s.kind = 'address' and s.key = ${battles.address})))`;

/**
 * Brings the `excluded` mark of a subject's voted battles in line with `suspects` and moves the
 * tallies by exactly the votes that changed sides, per category — so an exclusion is applied in
 * the caller's transaction at the cost of that subject's battles, never a full recompute.
 * Only live battles: imported ones carry their file's own exclusions (curated at the source)
 * and have no address; their voters cannot be excluded here.
 */
export async function reconcileExclusions(
  db: ArenaDb,
  subject: { kind: SuspectKind; key: string },
): Promise<{ changed: number }> {
  const match =
    subject.kind === "voter" ? eq(battles.voterId, subject.key) : eq(battles.address, subject.key);
  const rows = await db
    .select({
      id: battles.id,
      promptId: battles.promptId,
      modelAId: battles.modelAId,
      modelBId: battles.modelBId,
      winner: battles.winner,
      excluded: battles.excluded,
      identityLeak: battles.identityLeak,
      want: wantExcluded,
    })
    .from(battles)
    .where(and(match, eq(battles.source, "live"), isNotNull(battles.winner)));
  const flips = rows.filter((r) => !!r.want !== r.excluded);
  if (flips.length === 0) return { changed: 0 };
  const categories = await categoriesOf(
    db,
    flips.filter((r) => !r.identityLeak).map((r) => r.promptId),
  );
  const cells = new Map<
    string,
    { category: string; modelAId: number; modelBId: number; winner: Winner; n: number }
  >();
  for (const r of flips) {
    await db.update(battles).set({ excluded: !r.excluded }).where(eq(battles.id, r.id));
    if (r.identityLeak) continue;
    const delta = r.excluded ? 1 : -1;
    for (const category of [OVERALL, ...(categories.get(r.promptId) ?? [])]) {
      const key = `${category}\u0000${r.modelAId}\u0000${r.modelBId}\u0000${r.winner}`;
      const cell = cells.get(key);
      if (cell) cell.n += delta;
      else
        cells.set(key, {
          category,
          modelAId: r.modelAId,
          modelBId: r.modelBId,
          winner: r.winner as Winner,
          n: delta,
        });
    }
  }
  await addToTallies(
    db,
    [...cells.values()].filter((c) => c.n !== 0),
  );
  return { changed: flips.length };
}

/** Categories (besides overall) of each prompt, read in chunks. */
export async function categoriesOf(
  db: ArenaDb,
  promptIds: number[],
): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  const ids = [...new Set(promptIds)];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .select({ promptId: promptCategories.promptId, category: promptCategories.category })
      .from(promptCategories)
      .where(inArray(promptCategories.promptId, ids.slice(i, i + 500)));
    for (const r of rows) {
      const list = out.get(r.promptId);
      if (list) list.push(r.category);
      else out.set(r.promptId, [r.category]);
    }
  }
  return out;
}

export interface SuspectInput {
  kind: SuspectKind;
  key: string;
  status: SuspectStatus;
  reason?: string;
  test?: string | null;
  pValue?: number | null;
  votes?: number;
  /** The admin who decided; null when the anomaly check did. */
  decidedBy?: string | null;
}

/**
 * Records a subject's status and applies it to its votes and the tallies in one transaction:
 * a crash can never leave the mark and the tallies disagreeing. One at a time: two decisions
 * read concurrently (a voter's and their address's) could both flip the same battle, and move
 * the tallies twice for it.
 */
export async function setSuspect(
  db: ArenaDb,
  input: SuspectInput,
  now = new Date(),
): Promise<{ changed: number }> {
  return db.transaction(async (tx) => {
    await lockKey(tx, "suspects");
    const [existing] = await tx
      .select()
      .from(suspects)
      .where(and(eq(suspects.kind, input.kind), eq(suspects.key, input.key)))
      .limit(1);
    const values = {
      kind: input.kind,
      key: input.key,
      status: input.status,
      reason: input.reason ?? existing?.reason ?? "",
      test: input.test === undefined ? (existing?.test ?? null) : input.test,
      pValue: input.pValue === undefined ? (existing?.pValue ?? null) : input.pValue,
      votes: input.votes ?? existing?.votes ?? 0,
      decidedBy: input.decidedBy ?? null,
      updatedAt: now,
    };
    await tx
      .insert(suspects)
      .values({ ...values, flaggedAt: now })
      .onConflictDoUpdate({ target: [suspects.kind, suspects.key], set: values });
    return reconcileExclusions(tx, input);
  });
}

import { and, asc, count, eq, gt, isNotNull, isNull, lte, max, sql } from "drizzle-orm";
import type { ArenaDb } from "@/db/client";
import {
  anomalyChecks,
  battles,
  models,
  type SuspectKind,
  settings,
  suspects,
  tallies,
} from "@/db/schema";
import type { Quad } from "@/lib/ranking/anomaly-stats";
import {
  DRAWN_CHECKPOINT_BASE,
  judgeSubject,
  lastCheckpoint,
  type SubjectBattle,
  VOTE_CHECKPOINT_BASE,
} from "@/lib/ranking/subject-anomaly";
import { WINNER } from "@/lib/winner";
import { OVERALL } from "./categories";
import { setSuspect } from "./exclusions";

/**
 * The anomaly check as the arena runs it by itself: every voter and every address that voted
 * since the last sweep is judged (lib/ranking/subject-anomaly.ts) against the crowd — the
 * overall tallies without the subject's own counted votes — and a flagged subject stops
 * counting at once (ARENA_AUTO_EXCLUDE, default on) or is listed for the admins. Addresses
 * matter because a new cookie is a new voter: a promoter who rotates cookies every few battles
 * never reaches a voter's 10-vote minimum, but every vote still comes from the same network.
 * The sweep's high-water mark and each subject's progress (the checkpoints already judged)
 * live in the database, so any process can run it, and a subject's record is read only when it
 * crosses a new checkpoint — once per doubling, whatever the number of sweeps.
 */
export interface SweepOptions {
  alpha: number;
  autoExclude: boolean;
}

export interface SweepResult {
  judged: number;
  flagged: { kind: SuspectKind; key: string; reason: string }[];
}

const WATERMARK = "anomaly.swept_until";
const pairKey = (a: number, b: number) => a * 2 ** 26 + b;

export async function sweepAnomalies(db: ArenaDb, opts: SweepOptions): Promise<SweepResult> {
  const since = Number((await watermark(db)) ?? 0);
  const live = and(eq(battles.source, "live"), isNotNull(battles.votedAt));
  const newest = (
    await db
      .select({ at: max(battles.votedAt) })
      .from(battles)
      .where(live)
  )[0]?.at;
  const until = newest?.getTime() ?? 0;
  if (until <= since) return { judged: 0, flagged: [] };

  const window = and(
    live,
    gt(battles.votedAt, new Date(since)),
    lte(battles.votedAt, new Date(until)),
  );
  const recent = await db
    .selectDistinct({ voterId: battles.voterId, address: battles.address })
    .from(battles)
    .where(window);
  const subjects: { kind: SuspectKind; key: string }[] = [
    ...new Set(recent.map((r) => r.voterId)),
  ].map((key) => ({ kind: "voter" as const, key }));
  for (const address of new Set(recent.map((r) => r.address))) {
    if (address) subjects.push({ kind: "address", key: address });
  }

  let crowd: Awaited<ReturnType<typeof crowdCounts>> | undefined;
  const names = new Map(
    (await db.select({ id: models.id, name: models.displayName }).from(models)).map((m) => [
      m.id,
      m.name,
    ]),
  );
  const decided = new Map(
    (
      await db
        .select({ kind: suspects.kind, key: suspects.key, status: suspects.status })
        .from(suspects)
    ).map((s) => [`${s.kind}:${s.key}`, s.status]),
  );

  const result: SweepResult = { judged: 0, flagged: [] };
  for (const subject of subjects) {
    const status = decided.get(`${subject.kind}:${subject.key}`);
    // An admin's decision stands; a subject already flagged stays flagged.
    if (status === "cleared" || status === "excluded" || status === "flagged") continue;
    const match = and(
      eq(battles.source, "live"),
      eq(battles.identityLeak, false),
      subject.kind === "voter"
        ? eq(battles.voterId, subject.key)
        : eq(battles.address, subject.key),
    );
    const sizes = await recordSize(db, subject);
    const [checked] = await db
      .select({ votes: anomalyChecks.votes, drawn: anomalyChecks.drawn })
      .from(anomalyChecks)
      .where(and(eq(anomalyChecks.kind, subject.kind), eq(anomalyChecks.key, subject.key)))
      .limit(1);
    const done = checked ?? { votes: 0, drawn: 0 };
    if (
      lastCheckpoint(sizes.votes, VOTE_CHECKPOINT_BASE) <= done.votes &&
      lastCheckpoint(sizes.drawn, DRAWN_CHECKPOINT_BASE) <= done.drawn
    )
      continue;
    crowd ??= await crowdCounts(db);
    const counts = crowd;
    const rows = await db
      .select({
        a: battles.modelAId,
        b: battles.modelBId,
        winner: battles.winner,
        excluded: battles.excluded,
      })
      .from(battles)
      .where(match)
      .orderBy(asc(battles.createdAt));
    const own = new Map<number, Quad>();
    const ownGlobal: Quad = [0, 0, 0, 0];
    const list: SubjectBattle[] = [];
    // Battles that named a model are left out here, as they are from the leaderboard.
    for (const r of rows) {
      const outcome = r.winner ? WINNER[r.winner].code : null;
      list.push({ a: r.a, b: r.b, outcome });
      if (outcome === null || r.excluded) continue;
      const k = pairKey(r.a, r.b);
      const q = own.get(k) ?? [0, 0, 0, 0];
      q[outcome]++;
      own.set(k, q);
      ownGlobal[outcome]++;
    }
    result.judged++;
    const verdict = judgeSubject(
      list,
      {
        pair(a, b) {
          const c = counts.pairs.get(pairKey(a, b));
          if (!c) return undefined;
          const o = own.get(pairKey(a, b));
          return o ? [c[0] - o[0], c[1] - o[1], c[2] - o[2], c[3] - o[3]] : c;
        },
        global: [
          counts.global[0] - ownGlobal[0],
          counts.global[1] - ownGlobal[1],
          counts.global[2] - ownGlobal[2],
          counts.global[3] - ownGlobal[3],
        ],
      },
      opts.alpha,
      done,
    );
    await db
      .insert(anomalyChecks)
      .values({ ...subject, ...verdict.judged })
      .onConflictDoUpdate({
        target: [anomalyChecks.kind, anomalyChecks.key],
        set: verdict.judged,
      });
    if (!verdict.flagged) continue;
    const reason = verdict.reason.replace(
      /model (\d+)/g,
      (_, id: string) => names.get(Number(id)) ?? `model ${id}`,
    );
    await setSuspect(db, {
      ...subject,
      status: opts.autoExclude ? "flagged" : "suspected",
      reason,
      test: verdict.test,
      pValue: verdict.pValue,
      votes: verdict.votes,
    });
    result.flagged.push({ ...subject, reason });
  }
  await db
    .insert(settings)
    .values({ key: WATERMARK, value: String(until) })
    .onConflictDoUpdate({ target: settings.key, set: { value: String(until) } });
  return result;
}

/**
 * How many battles a subject drew and voted, read from indexes alone for an address (its
 * battles and its open battles each have one), so a busy address costs two index counts per
 * sweep. Battles that named a model are included: an upper bound is all the trigger needs,
 * the judge itself leaves them out.
 */
async function recordSize(
  db: ArenaDb,
  subject: { kind: SuspectKind; key: string },
): Promise<{ drawn: number; votes: number }> {
  if (subject.kind === "voter") {
    const [size] = await db
      .select({ drawn: count(), votes: sql<number>`count(${battles.winner})`.mapWith(Number) })
      .from(battles)
      .where(eq(battles.voterId, subject.key));
    return size ?? { drawn: 0, votes: 0 };
  }
  const [all] = await db
    .select({ n: count() })
    .from(battles)
    .where(eq(battles.address, subject.key));
  const [open] = await db
    .select({ n: count() })
    .from(battles)
    .where(and(eq(battles.address, subject.key), isNull(battles.winner)));
  const drawn = all?.n ?? 0;
  return { drawn, votes: drawn - (open?.n ?? 0) };
}

/** The crowd's history: counted votes per ordered pair (the overall tallies) and in all. */
async function crowdCounts(db: ArenaDb): Promise<{ pairs: Map<number, Quad>; global: Quad }> {
  const pairs = new Map<number, Quad>();
  const global: Quad = [0, 0, 0, 0];
  const rows = await db
    .select({
      a: tallies.modelAId,
      b: tallies.modelBId,
      winsA: tallies.winsA,
      winsB: tallies.winsB,
      ties: tallies.ties,
      bothBad: tallies.bothBad,
    })
    .from(tallies)
    .where(eq(tallies.category, OVERALL));
  for (const r of rows) {
    const q: Quad = [r.winsA, r.winsB, r.ties, r.bothBad];
    pairs.set(pairKey(r.a, r.b), q);
    for (let o = 0; o < 4; o++) global[o] = (global[o] as number) + (q[o] as number);
  }
  return { pairs, global };
}

/** For the admin pages: when the sweep last looked. */
export async function lastSweep(db: ArenaDb): Promise<Date | null> {
  const v = await watermark(db);
  return v ? new Date(Number(v)) : null;
}

/** Where the last sweep stopped: the newest vote time it judged, in epoch ms, as stored. */
async function watermark(db: ArenaDb): Promise<string | undefined> {
  const [row] = await db
    .select({ v: settings.value })
    .from(settings)
    .where(eq(settings.key, WATERMARK))
    .limit(1);
  return row?.v;
}

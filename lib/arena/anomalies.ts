import { desc, sql } from "drizzle-orm";
import type { ArenaDb } from "@/db/client";
import { type SuspectKind, type SuspectStatus, suspects } from "@/db/schema";
import { EXCLUDING, setSuspect } from "./exclusions";

export interface Suspect {
  kind: SuspectKind;
  key: string;
  status: SuspectStatus;
  /** Whether the subject's votes are out of the count now. */
  excluded: boolean;
  reason: string;
  test: string | null;
  pValue: number | null;
  votes: number;
  flaggedAt: Date;
  updatedAt: Date;
  decidedBy: string | null;
}

/**
 * Voters and addresses the anomaly check flagged (lib/arena/anomaly-sweep.ts) or an admin
 * decided on, those still out of the count first, newest first.
 */
export async function listSuspects(db: ArenaDb, opts: { limit?: number } = {}): Promise<Suspect[]> {
  const rows = await db
    .select()
    .from(suspects)
    .orderBy(
      sql`case when ${suspects.status} in ('flagged', 'suspected', 'excluded') then 0 else 1 end`,
      desc(suspects.updatedAt),
    )
    .limit(Math.min(opts.limit ?? 100, 500));
  return rows.map((s) => ({ ...s, excluded: EXCLUDING.includes(s.status) }));
}

/**
 * An admin's decision on a voter or an address: `cleared` lets its votes count (and keeps the
 * anomaly check from flagging it again), `excluded` takes them out. Applied to the tallies in
 * the same transaction.
 */
export async function decideSuspect(
  db: ArenaDb,
  subject: { kind: SuspectKind; key: string },
  decision: "cleared" | "excluded",
  admin: string,
): Promise<{ votes: number }> {
  const { changed } = await setSuspect(db, {
    ...subject,
    status: decision,
    decidedBy: admin,
  });
  return { votes: changed };
}

import { and, eq, gt, lte, or } from "drizzle-orm";
import type { ArenaDb } from "@/db/client";
import { leases } from "@/db/schema";

/**
 * A lease: work that one process of a deployment does for all of them (the fit worker). The
 * holder renews it well before it expires; when the holder dies, the lease runs out and the next
 * process to ask takes it over. One conditional upsert, so it holds on any database that
 * several processes share, without a lock held open between statements: SQLite runs it under
 * its one write lock, and PostgreSQL's `on conflict do update … where` decides on the latest
 * version of the row (a racer waits for the other's insert or update, then sees it), so of
 * several processes asking at once exactly one gets a row back.
 */
export async function acquireLease(
  db: ArenaDb,
  name: string,
  holder: string,
  ttlMs: number,
  now = Date.now(),
): Promise<boolean> {
  const expiresAt = new Date(now + ttlMs);
  const [taken] = await db
    .insert(leases)
    .values({ name, holder, expiresAt })
    .onConflictDoUpdate({
      target: leases.name,
      set: { holder, expiresAt },
      setWhere: or(eq(leases.holder, holder), lte(leases.expiresAt, new Date(now))),
    })
    .returning({ holder: leases.holder });
  return taken?.holder === holder;
}

/** Gives the lease up at once (a clean shutdown), so another process need not wait for it to expire. */
export async function releaseLease(db: ArenaDb, name: string, holder: string): Promise<void> {
  await db.delete(leases).where(and(eq(leases.name, name), eq(leases.holder, holder)));
}

/** Who holds the lease now, if anyone. */
export async function leaseHolder(
  db: ArenaDb,
  name: string,
  now = Date.now(),
): Promise<string | undefined> {
  const [row] = await db
    .select({ holder: leases.holder })
    .from(leases)
    .where(and(eq(leases.name, name), gt(leases.expiresAt, new Date(now))))
    .limit(1);
  return row?.holder;
}

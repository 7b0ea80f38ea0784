import { eq, gt, or, sql } from "drizzle-orm";
import type { ArenaDb } from "@/db/client";
import { leases } from "@/db/schema";

/**
 * A lease: work that one process of a deployment does for all of them (the fit worker). The
 * holder renews it well before it expires; when the holder dies, the lease runs out and the next
 * process to ask takes it over. One conditional upsert, so it holds on any database that
 * several processes share, without a lock held open between statements.
 */
export function acquireLease(
  db: ArenaDb,
  name: string,
  holder: string,
  ttlMs: number,
  now = Date.now(),
): boolean {
  const expiresAt = new Date(now + ttlMs);
  const taken = db
    .insert(leases)
    .values({ name, holder, expiresAt })
    .onConflictDoUpdate({
      target: leases.name,
      set: { holder, expiresAt },
      setWhere: or(eq(leases.holder, holder), sql`${leases.expiresAt} <= ${now}`),
    })
    .returning({ holder: leases.holder })
    .get();
  return taken?.holder === holder;
}

/** Gives the lease up at once (a clean shutdown), so another process need not wait for it to expire. */
export function releaseLease(db: ArenaDb, name: string, holder: string): void {
  db.delete(leases).where(sql`${leases.name} = ${name} and ${leases.holder} = ${holder}`).run();
}

/** Who holds the lease now, if anyone. */
export function leaseHolder(db: ArenaDb, name: string, now = Date.now()): string | undefined {
  return db
    .select({ holder: leases.holder })
    .from(leases)
    .where(sql`${leases.name} = ${name} and ${gt(leases.expiresAt, new Date(now))}`)
    .get()?.holder;
}

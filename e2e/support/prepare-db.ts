/**
 * The database every spec's server starts from, made once per run (e2e/support/global-setup.ts):
 * what `npm start` does to a new database before serving it — migrate, load the demo set, create
 * the admin from ADMIN_EMAIL/ADMIN_PASSWORD. Run with tsx, DATABASE_URL naming the file or the
 * PostgreSQL template database (closed before the specs copy it: a database being copied may have
 * no connection).
 */
import { closeDatabase, connectionOf, openDatabase } from "../../db/client";
import { seedDemoDataIfEmpty } from "../../lib/arena/demo-data";
import { ensureFirstAdmin } from "../../lib/auth/users";
import { env } from "../../lib/env";

const db = await openDatabase(env().DATABASE_URL);
await seedDemoDataIfEmpty(db);
await ensureFirstAdmin(db, { email: env().ADMIN_EMAIL, password: env().ADMIN_PASSWORD });
// one file, no -wal beside it, so a plain copy is a complete database (SQLite only)
connectionOf(db).sqlite?.pragma("wal_checkpoint(TRUNCATE)");
await closeDatabase(db);

import { afterAll } from "vitest";
import { dropTestDatabases } from "./helpers/postgres";

// On PostgreSQL each test database is a real database on the server: closed and dropped when
// its file ends (on SQLite they are in memory and go with the process).
afterAll(async () => {
  await dropTestDatabases();
});

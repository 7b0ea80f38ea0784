/**
 * Which database a DATABASE_URL names. A process talks to one database for its whole life, so
 * the choice is made once, from the URL, before any table is defined (db/schema.ts).
 */
export type Dialect = "sqlite" | "postgres";

export function dialectOf(url: string): Dialect {
  return /^postgres(ql)?:\/\//i.test(url) ? "postgres" : "sqlite";
}

/** The dialect of this process: DATABASE_URL as the environment gives it (the default is SQLite). */
export function processDialect(): Dialect {
  return dialectOf(process.env.DATABASE_URL ?? "");
}

import { getTableConfig as pgConfig } from "drizzle-orm/pg-core";
import { getTableConfig as sqliteConfig } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import * as pgTables from "./schema.pg";
import * as sqliteTables from "./schema.sqlite";

/**
 * The two schemas must describe one database: the code is written once against them. Each column
 * is reduced to what the code can observe (its name, the kind of value it holds, null or not, a
 * default or not, its enum), each table to its keys, indexes and foreign keys.
 */
type Kind = "int" | "bool" | "time" | "text" | "json" | "real" | "bytes";

const SQLITE_KINDS: Record<string, Kind> = {
  SQLiteInteger: "int",
  SQLiteBoolean: "bool",
  SQLiteTimestamp: "time",
  SQLiteText: "text",
  SQLiteTextJson: "json",
  SQLiteReal: "real",
  SQLiteBlobBuffer: "bytes",
};
const PG_KINDS: Record<string, Kind> = {
  PgInteger: "int",
  PgBigInt53: "int",
  PgBoolean: "bool",
  PgText: "text",
  PgDoublePrecision: "real",
};
// db/schema.pg.ts's custom columns, by the SQL type they declare
const PG_CUSTOM_KINDS: Record<string, Kind> = { bigint: "time", text: "json", bytea: "bytes" };

interface AnyColumn {
  name: string;
  columnType: string;
  notNull: boolean;
  hasDefault: boolean;
  primary: boolean;
  isUnique: boolean;
  enumValues?: string[];
  getSQLType(): string;
}

function kindOf(c: AnyColumn, dialect: "sqlite" | "pg"): Kind | string {
  if (dialect === "sqlite") return SQLITE_KINDS[c.columnType] ?? c.columnType;
  if (c.columnType === "PgCustomColumn") return PG_CUSTOM_KINDS[c.getSQLType()] ?? c.getSQLType();
  return PG_KINDS[c.columnType] ?? c.columnType;
}

interface AnyConfig {
  name: string;
  columns: AnyColumn[];
  indexes: { config: { name: string; unique: boolean; columns: unknown[]; where?: unknown } }[];
  primaryKeys: { columns: { name: string }[] }[];
  foreignKeys: {
    reference(): {
      columns: { name: string }[];
      foreignTable: unknown;
      foreignColumns: { name: string }[];
    };
    onDelete?: string;
  }[];
}

function describeTable(
  config: AnyConfig,
  dialect: "sqlite" | "pg",
  tableName: (t: unknown) => string,
) {
  return {
    name: config.name,
    columns: Object.fromEntries(
      config.columns.map((c) => [
        c.name,
        {
          kind: kindOf(c, dialect),
          notNull: c.notNull,
          hasDefault: c.hasDefault,
          primary: c.primary,
          unique: c.isUnique,
          enumValues: c.enumValues ?? null,
        },
      ]),
    ),
    primaryKeys: config.primaryKeys.map((pk) => pk.columns.map((c) => c.name)),
    indexes: config.indexes
      .map((i) => ({
        name: i.config.name,
        unique: i.config.unique,
        columns: i.config.columns.map((c) => (c as { name: string }).name),
        partial: i.config.where !== undefined,
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    foreignKeys: config.foreignKeys
      .map((fk) => {
        const r = fk.reference();
        return {
          columns: r.columns.map((c) => c.name),
          to: tableName(r.foreignTable),
          foreignColumns: r.foreignColumns.map((c) => c.name),
          onDelete: fk.onDelete ?? "no action",
        };
      })
      .sort((a, b) => a.columns.join().localeCompare(b.columns.join())),
  };
}

const sqlite = Object.fromEntries(
  Object.entries(sqliteTables)
    .filter(([, v]) => {
      try {
        sqliteConfig(v as never);
        return true;
      } catch {
        return false;
      }
    })
    .map(([k, v]) => [
      k,
      describeTable(
        sqliteConfig(v as never) as unknown as AnyConfig,
        "sqlite",
        (t) => sqliteConfig(t as never).name,
      ),
    ]),
);
const pg = Object.fromEntries(
  Object.entries(pgTables)
    .filter(([, v]) => {
      try {
        pgConfig(v as never);
        return true;
      } catch {
        return false;
      }
    })
    .map(([k, v]) => [
      k,
      describeTable(
        pgConfig(v as never) as unknown as AnyConfig,
        "pg",
        (t) => pgConfig(t as never).name,
      ),
    ]),
);

describe("the SQLite and PostgreSQL schemas", () => {
  it("define the same tables", () => {
    expect(Object.keys(pg).sort()).toEqual(Object.keys(sqlite).sort());
    expect(Object.keys(sqlite).length).toBeGreaterThan(20);
  });

  it.each(Object.keys(sqlite))("define %s alike", (table) => {
    expect(pg[table]).toEqual(sqlite[table]);
  });

  it("notice a difference (a column's kind, a missing index)", () => {
    const models = structuredClone(sqlite.models) as (typeof sqlite)["models"];
    expect(models).toEqual(pg.models);
    (models.columns as Record<string, { kind: string }>).hidden = { kind: "int" };
    expect(models).not.toEqual(pg.models);
    const battles = structuredClone(sqlite.battles) as (typeof sqlite)["battles"];
    battles.indexes.pop();
    expect(battles).not.toEqual(pg.battles);
  });
});

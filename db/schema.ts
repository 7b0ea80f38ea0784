export * from "./schema.sqlite";

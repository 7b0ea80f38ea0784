/**
 * A vote's outcome as the app stores it: A is better, B is better, a tie, both are bad. Defined
 * at the bottom of the layers, with nothing imported, because the parsers produce it, the schema
 * stores it (db/ imports nothing above lib/import) and the domain reads it.
 */
export const WINNERS = ["a", "b", "tie", "bothbad"] as const;
export type Winner = (typeof WINNERS)[number];

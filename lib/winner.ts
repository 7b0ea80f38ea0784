/**
 * A vote's outcome as the app stores it: A is better, B is better, a tie, both are bad. At the
 * bottom of the layers, importing nothing, because every layer uses it: the parsers produce it,
 * the schema stores it, the domain and the UI read it.
 */
export const WINNERS = ["a", "b", "tie", "bothbad"] as const;
export type Winner = (typeof WINNERS)[number];

/** The client's copy of the API shapes (see lib/arena/battles.ts); names never arrive before the vote. */
export type Winner = "a" | "b" | "tie" | "bothbad";

export interface Battle {
  id: string;
  prompt: string;
  turns?: string[];
  a: { text: string };
  b: { text: string };
}

export interface RevealedModel {
  model: string;
  displayName: string;
  organization: string;
}

export interface Reveal {
  a: RevealedModel;
  b: RevealedModel;
}

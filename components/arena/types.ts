/** The API shapes the arena client uses: type-only imports, so no server code reaches the bundle. */
export type { Winner } from "@/db/schema";
export type { BattleView, Reveal, RevealedModel } from "@/lib/arena/battles";

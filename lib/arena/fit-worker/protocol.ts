import type { LeaderboardMethod } from "@/lib/arena/leaderboard";

/** The lease that makes one process's worker the deployment's fitter. */
export const FIT_LEASE = "fit-worker";
/** A worker renews its lease at every step; a dead process's lease is taken over after this. */
export const LEASE_TTL_MS = 15_000;

export interface WorkerData {
  root: string;
  databaseUrl: string;
  holder: string;
  defaultMethod: LeaderboardMethod;
}

export type WorkerMessage =
  | { type: "ready" }
  | { type: "published"; category: string; method: LeaderboardMethod; refit: boolean; ms: number }
  | { type: "failed"; message: string };

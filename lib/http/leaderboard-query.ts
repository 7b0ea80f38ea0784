import { z } from "zod";
import { getDb } from "@/db";
import type { LeaderboardMethod } from "@/lib/arena/leaderboard";
import { isKnownCategory, servedCategories } from "@/lib/arena/served-leaderboard";
import { defaultLeaderboardMethod } from "@/lib/env";
import { ArenaError } from "@/lib/errors";

const yesNo = z.enum(["0", "1", "true", "false"]).transform((v) => v === "1" || v === "true");

export const leaderboardQuerySchema = z.object({
  category: z.string().trim().min(1).max(60).default("overall"),
  /** `reweighted` is `sandwich` with `reweight=1`: how the page's own links name that view. */
  ci: z.enum(["bootstrap", "sandwich", "reweighted"]).optional(),
  reweight: yesNo.optional(),
  format: z.enum(["json", "csv"]).default("json"),
  deprecated: yesNo.default(false),
});

export interface LeaderboardQuery {
  category: string;
  /** The method asked for, or the default view's (LEADERBOARD_REWEIGHT). */
  ci: LeaderboardMethod;
  format: "json" | "csv";
  deprecated: boolean;
}

/**
 * The method of ?ci= and ?reweight=: reweighting gives sandwich intervals, so `reweight=1`
 * is `reweighted` with or without `ci=sandwich`, and refused with `ci=bootstrap`; `reweight=0`
 * is the plain fit (bootstrap unless `ci=sandwich`). Neither: the default view.
 */
export function leaderboardMethod(
  ci: LeaderboardMethod | undefined,
  reweight: boolean | undefined,
  fallback: LeaderboardMethod,
): LeaderboardMethod {
  if (reweight === undefined) return ci ?? fallback;
  if (reweight) {
    if (ci === "bootstrap") {
      throw new ArenaError(
        "invalid_request",
        "Reweighting gives sandwich intervals: reweight=1 cannot go with ci=bootstrap.",
      );
    }
    return "reweighted";
  }
  if (ci === "reweighted") {
    throw new ArenaError("invalid_request", "ci=reweighted cannot go with reweight=0.");
  }
  return ci ?? "bootstrap";
}

/**
 * Parses ?category=&ci=&reweight=&format=&deprecated=, refusing an unknown category with the
 * ones that exist.
 */
export async function parseLeaderboardQuery(
  params: URLSearchParams | Record<string, string | string[] | undefined>,
): Promise<LeaderboardQuery> {
  const entries =
    params instanceof URLSearchParams
      ? Object.fromEntries(params)
      : Object.fromEntries(
          Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]),
        );
  const parsed = leaderboardQuerySchema.safeParse(entries);
  if (!parsed.success) {
    throw new ArenaError("invalid_request", "Invalid leaderboard query.", {
      details: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    });
  }
  const { reweight, ci, ...rest } = parsed.data;
  const method = leaderboardMethod(ci, reweight, defaultLeaderboardMethod());
  const db = await getDb();
  if (!(await isKnownCategory(db, parsed.data.category))) {
    const known = (await servedCategories(db)).map((c) => c.category);
    throw new ArenaError(
      "not_found",
      `No category "${parsed.data.category}". Known: ${known.join(", ")}.`,
    );
  }
  return { ...rest, ci: method };
}

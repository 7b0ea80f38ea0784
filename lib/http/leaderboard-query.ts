import { z } from "zod";
import { getDb } from "@/db";
import { isKnownCategory, servedCategories } from "@/lib/arena/served-leaderboard";
import { ArenaError } from "@/lib/errors";

export const leaderboardQuerySchema = z.object({
  category: z.string().trim().min(1).max(60).default("overall"),
  ci: z.enum(["bootstrap", "sandwich"]).default("bootstrap"),
  format: z.enum(["json", "csv"]).default("json"),
  deprecated: z
    .enum(["0", "1", "true", "false"])
    .default("0")
    .transform((v) => v === "1" || v === "true"),
});

export type LeaderboardQuery = z.infer<typeof leaderboardQuerySchema>;

/** Parses ?category=&ci=&format=&deprecated=, refusing an unknown category with the ones that exist. */
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
  const db = await getDb();
  if (!(await isKnownCategory(db, parsed.data.category))) {
    const known = (await servedCategories(db)).map((c) => c.category);
    throw new ArenaError(
      "not_found",
      `No category "${parsed.data.category}". Known: ${known.join(", ")}.`,
    );
  }
  return parsed.data;
}

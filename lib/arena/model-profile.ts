import { and, eq, or } from "drizzle-orm";
import type { ArenaDb } from "@/db/client";
import { models, tallies } from "@/db/schema";
import { isArenaError } from "@/lib/errors";
import { externalLink } from "@/lib/render/external-link";
import { OVERALL } from "./categories";
import type { LeaderboardEntry, LeaderboardSettings } from "./leaderboard";
import { servedCategories, servedView } from "./served-leaderboard";

export interface OpponentRecord {
  model: string;
  displayName: string;
  wins: number;
  losses: number;
  ties: number;
  bothBad: number;
  /** Observed share won, ties and both-bad as half. */
  winFraction: number;
}

export interface ModelProfile {
  model: string;
  displayName: string;
  organization: string;
  license: string;
  link: string | null;
  hidden: boolean;
  deprecated: boolean;
  categories: { category: string; name: string; entry: LeaderboardEntry; models: number }[];
  opponents: OpponentRecord[];
}

/**
 * A model's standing in every category it has votes in (from the published snapshots; a
 * category still unpublished after the usual wait is left out), and its overall record against
 * each opponent.
 */
export async function modelProfile(
  db: ArenaDb,
  slug: string,
  settings: LeaderboardSettings,
): Promise<ModelProfile | null> {
  const [model] = await db.select().from(models).where(eq(models.slug, slug)).limit(1);
  if (!model || model.hidden) return null;
  const listed = await servedCategories(db);
  const views = await Promise.all(
    listed.map((c) =>
      servedView(
        db,
        { category: c.category, method: "bootstrap", includeDeprecated: true },
        settings,
      ).catch((e) => {
        // a category the worker has not published yet is left out, not the whole page
        if (isArenaError(e) && e.code === "leaderboard_pending") return undefined;
        throw e;
      }),
    ),
  );
  const categories = listed.flatMap((c, i) => {
    const view = views[i];
    const entry = view?.rows.find((r) => r.model === slug);
    return view && entry
      ? [{ category: c.category, name: c.name, entry, models: view.rows.length }]
      : [];
  });
  const names = new Map(
    (
      await db
        .select({
          id: models.id,
          slug: models.slug,
          displayName: models.displayName,
          hidden: models.hidden,
        })
        .from(models)
    ).map((m) => [m.id, m]),
  );
  const records = new Map<number, OpponentRecord>();
  for (const t of await db
    .select()
    .from(tallies)
    .where(
      and(
        eq(tallies.category, OVERALL),
        or(eq(tallies.modelAId, model.id), eq(tallies.modelBId, model.id)),
      ),
    )) {
    const left = t.modelAId === model.id;
    const opponentId = left ? t.modelBId : t.modelAId;
    const opp = names.get(opponentId);
    if (!opp || opp.hidden) continue;
    const r = records.get(opponentId) ?? {
      model: opp.slug,
      displayName: opp.displayName,
      wins: 0,
      losses: 0,
      ties: 0,
      bothBad: 0,
      winFraction: 0,
    };
    r.wins += left ? t.winsA : t.winsB;
    r.losses += left ? t.winsB : t.winsA;
    r.ties += t.ties;
    r.bothBad += t.bothBad;
    records.set(opponentId, r);
  }
  const opponents = [...records.values()]
    .map((r) => {
      const n = r.wins + r.losses + r.ties + r.bothBad;
      return { ...r, winFraction: n ? (r.wins + (r.ties + r.bothBad) / 2) / n : 0 };
    })
    .sort(
      (a, b) => b.wins + b.losses + b.ties + b.bothBad - (a.wins + a.losses + a.ties + a.bothBad),
    );
  return {
    model: model.slug,
    displayName: model.displayName,
    organization: model.organization,
    license: model.license,
    link: externalLink(model.link)?.href ?? null,
    hidden: model.hidden,
    deprecated: model.deprecated,
    categories,
    opponents,
  };
}

import "server-only";
import { getDb } from "@/db";
import { servedHead, servedPart, servedVersion } from "@/lib/arena/served-leaderboard";
import { leaderboardSettings } from "@/lib/env";
import { parseLeaderboardQuery } from "./leaderboard-query";
import type { HeaderReader } from "./origin";

/**
 * GET /api/leaderboard (JSON), /api/leaderboard/pairwise and /api/leaderboard/version, whoever
 * carries the request: the fast path in front of Next (lib/http/fast-path.ts) or the route
 * handlers. A published snapshot is sent as the fit worker stored it: gzipped when the client
 * takes gzip and the transport can say so (Next drops a route handler's Content-Encoding, so
 * only the fast path sends it), with its publication number as a weak ETag (304 when the
 * client has it) and its age in X-Snapshot-Age.
 */
export interface EndpointAnswer {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer | null;
}

export type SnapshotEndpoint = "view" | "pairwise";

export async function snapshotEndpoint(
  endpoint: SnapshotEndpoint,
  params: URLSearchParams,
  headers: HeaderReader,
  transport: { gzip: boolean },
): Promise<EndpointAnswer> {
  const db = await getDb();
  const q = await parseLeaderboardQuery(params);
  const head = await servedHead(db, { category: q.category, method: q.ci }, leaderboardSettings());
  const etag = `W/"${head.seq}"`;
  const base: Record<string, string> = {
    "Content-Type": "application/json; charset=utf-8",
    // revalidate every time: the ETag makes that cheap, and a stale board never lingers
    "Cache-Control": "no-cache",
    ETag: etag,
    Vary: "Accept-Encoding",
    "X-Snapshot-Age": String(Math.max(0, Date.now() - head.fittedAt)),
  };
  if (etagMatches(headers.get("if-none-match"), etag)) {
    return { status: 304, headers: base, body: null };
  }
  const gzip = transport.gzip && /\bgzip\b/.test(headers.get("accept-encoding") ?? "");
  if (endpoint === "view") {
    const body = gzip
      ? await servedPart(db, head, q.deprecated ? "viewAllGzip" : "viewGzip")
      : await servedPart(db, head, q.deprecated ? "viewAll" : "view");
    return { status: 200, headers: gzip ? { ...base, "Content-Encoding": "gzip" } : base, body };
  }
  const packed = await servedPart(db, head, q.deprecated ? "pairwiseAllGzip" : "pairwiseGzip");
  if (gzip) return { status: 200, headers: { ...base, "Content-Encoding": "gzip" }, body: packed };
  const { gunzipSync } = await import("node:zlib");
  return { status: 200, headers: base, body: gunzipSync(packed) };
}

/** GET /api/leaderboard/version[?category=&ci=]: `{version}`. */
export async function versionEndpoint(params: URLSearchParams): Promise<{ version: number }> {
  const db = await getDb();
  if (!params.has("category")) return { version: await servedVersion(db) };
  const q = await parseLeaderboardQuery(params);
  return { version: await servedVersion(db, { category: q.category, method: q.ci }) };
}

function etagMatches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const bare = (t: string) => t.trim().replace(/^W\//, "");
  return ifNoneMatch.split(",").some((t) => t.trim() === "*" || bare(t) === bare(etag));
}

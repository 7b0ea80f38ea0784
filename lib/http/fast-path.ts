import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { VOTER_COOKIE } from "@/lib/arena/voter-id";
import { ArenaError } from "@/lib/errors";
import { MAX_BATTLE_BODY, MAX_VOTE_BODY, startBattle, submitVote } from "./battle-endpoints";
import { API_CSP, SECURITY_HEADERS } from "./csp";
import { type SnapshotEndpoint, snapshotEndpoint, versionEndpoint } from "./leaderboard-endpoints";
import { clientIpFrom } from "./limits";
import type { HeaderReader } from "./origin";
import { errorResult } from "./respond";
import { voterSetCookie } from "./voter-cookie";

/**
 * The hot endpoints — create a battle, cast a vote, and the leaderboard JSON and version that
 * open pages poll — served straight from Node's request, in front of Next.js. Under load, Next's
 * request pipeline (routing, web-stream adapters) cost about 1.4 ms of CPU per request, more
 * than the vote itself, and Next drops a route handler's Content-Encoding, so it could not send
 * a snapshot gzipped as stored. This path runs the very same endpoint functions as app/api's
 * route handlers, with the same headers, limits and errors. scripts/server.mjs calls it before
 * handing a request to Next; `next dev` never does.
 */
const HEADERS: Record<string, string> = {
  ...SECURITY_HEADERS,
  "Content-Security-Policy": API_CSP,
  "Cache-Control": "no-store",
  "Content-Type": "application/json",
};
const VOTE_PATH = /^\/api\/battles\/([^/?#]{1,200})\/vote$/;

function cookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** Node's request headers read the way lib/http's helpers read a fetch `Headers`. */
function nodeHeaders(req: IncomingMessage): HeaderReader {
  return {
    get: (name) => {
      const v = req.headers[name.toLowerCase()];
      return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
    },
  };
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  extra: Record<string, string> = {},
) {
  const payload = JSON.stringify(body);
  res.writeHead(status, { ...HEADERS, ...extra, "Content-Length": Buffer.byteLength(payload) });
  res.end(payload);
}

function fail(res: ServerResponse, e: unknown) {
  const r = errorResult(e);
  send(res, r.status, r.body, r.headers);
}

function readBody(req: IncomingMessage, max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers["content-length"] ?? "0") > max) {
      reject(
        new ArenaError(
          "payload_too_large",
          `This endpoint takes no body larger than ${max} bytes.`,
        ),
      );
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.removeAllListeners("data");
        reject(
          new ArenaError(
            "payload_too_large",
            `This endpoint takes no body larger than ${max} bytes.`,
          ),
        );
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

const SNAPSHOT_PATHS: Record<string, SnapshotEndpoint> = {
  "/api/leaderboard": "view",
  "/api/leaderboard/pairwise": "pairwise",
};

/** GET of the leaderboard's JSON, pairwise matrices or version; a CSV goes on to Next. */
function leaderboardGet(req: IncomingMessage, res: ServerResponse): boolean {
  const url = new URL(req.url as string, "http://arena.invalid");
  if (url.pathname === "/api/leaderboard/version") {
    versionEndpoint(url.searchParams)
      .then((answer) => send(res, 200, answer))
      .catch((e) => fail(res, e));
    return true;
  }
  const endpoint = SNAPSHOT_PATHS[url.pathname];
  if (!endpoint || url.searchParams.get("format") === "csv") return false;
  snapshotEndpoint(endpoint, url.searchParams, nodeHeaders(req), { gzip: true })
    .then((answer) => {
      const length = answer.body === null ? 0 : Buffer.byteLength(answer.body);
      res.writeHead(answer.status, {
        ...HEADERS,
        ...answer.headers,
        ...(answer.status === 304 ? {} : { "Content-Length": length }),
      });
      res.end(answer.body ?? undefined);
    })
    .catch((e) => fail(res, e));
  return true;
}

/** Takes the request when it is one of the hot endpoints (returns true), else leaves it to Next. */
export function fastPath(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method === "GET" && req.url?.startsWith("/api/leaderboard"))
    return leaderboardGet(req, res);
  if (req.method !== "POST" || !req.url) return false;
  const ip = clientIpFrom((name) => req.headers[name]);
  const voterCookie = cookie(req.headers.cookie, VOTER_COOKIE);
  if (req.url === "/api/battles") {
    readBody(req, MAX_BATTLE_BODY)
      .then(async () => {
        const { battle, newVoterId } = await startBattle(voterCookie, ip);
        const setCookie = newVoterId && voterSetCookie(newVoterId, nodeHeaders(req));
        send(res, 201, battle, setCookie ? { "Set-Cookie": setCookie } : {});
      })
      .catch((e) => fail(res, e));
    return true;
  }
  const match = VOTE_PATH.exec(req.url);
  if (!match) return false;
  readBody(req, MAX_VOTE_BODY)
    .then(async (text) => {
      let id: string;
      try {
        id = decodeURIComponent(match[1] as string);
      } catch {
        throw new ArenaError("battle_not_found", "No such battle for this voter.");
      }
      send(res, 200, await submitVote(id, voterCookie, ip, text));
    })
    .catch((e) => fail(res, e));
  return true;
}

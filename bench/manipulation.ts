/**
 * The manipulation an adversarial review ran against a production build, replayed against a
 * running server (issue 8): learn text → model by voting "tie" on battles whose texts are
 * unknown, then vote for the target whenever its text appears, skip every other battle, and drop
 * the cookie every 9 battles — 450 battles from one address — over an honest baseline.
 *
 *   npx tsx bench/manipulation.ts [--runs 3] [--mode default|patient|both] [--no-build]
 *
 * The server runs the demo set with its default limits and defences, TRUST_PROXY=1 so that the
 * simulated people can come from their own addresses (X-Forwarded-For), and a 1 s anomaly
 * sweep interval so a run takes seconds, not minutes. Each run:
 *   1. 40 honest voters, each from their own address, cast 30 votes each (1,200 votes), and 20
 *      honest people behind one NAT address cast 30 each (600 votes), judging answers by their
 *      model's quality (ratings below; the bench reads which model wrote which text from the
 *      database) with their own taste, ties and a few skipped battles;
 *   2. the target's rating and 95% interval are read from GET /api/leaderboard;
 *   3. the promoter runs its 450 battles from one more address;
 *   4. after the sweep, the target's rating again, and who was flagged (from the database).
 * `default` mode keeps every default; an attacker who hits a limit (new voters per address per
 * hour, unvoted battles per hour) stops there, as it would have to wait. `patient` raises those
 * two hourly limits so all 450 battles go through, standing for an attacker who spreads them
 * over the ~12 hours the defaults allow (measured in lib/arena/manipulation.test.ts): what the
 * anomaly check alone achieves. Goal: |Δ target| < its CI half-width, the attacker's address
 * flagged, the NAT address and the honest voters not.
 */
import { parseArgs } from "node:util";
import { eq } from "drizzle-orm";
import { models, responses, suspects } from "../db/schema";
import { addressKey } from "../lib/http/address";
import {
  runHonestVoter,
  runPromoter,
  type SimBattle,
  type SimClient,
  type SimReveal,
} from "../tests/helpers/arena-sim";
import { openReadOnly } from "../tests/helpers/db-check";
import {
  BENCH_AUTH_SECRET,
  ensureBuild,
  freePort,
  freshDatabase,
  HttpClient,
  removeDatabase,
  sleep,
  startServer,
} from "../tests/helpers/server-harness";
import { seededRng } from "./support";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    mode: { type: "string", default: "both" },
    port: { type: "string", default: "3360" },
    "no-build": { type: "boolean", default: false },
  },
});

/** How good the demo models are to the simulated people (Elo-like points). */
const QUALITY: Record<string, number> = {
  "aurora-large": 1200,
  "lumen-3-pro": 1150,
  "sage-70b-instruct": 1100,
  "bytecoder-34b": 1080,
  "hanlin-chat": 1050,
  quill: 1030,
  "kestrel-mini": 1000,
  "tortoise-13b": 900,
};
const TARGET = "hanlin-chat";
const ATTACKER_IP = "203.0.113.66";
const NAT_IP = "198.51.100.200";

/** A client with its own cookie jar and address; a patient one waits out per-minute limits. */
function httpClient(http: HttpClient, ip: string, patient = false): SimClient {
  let cookie: string | undefined;
  const headers = { "x-forwarded-for": ip };
  return {
    async draw() {
      for (;;) {
        const r = await http.request("POST", "/api/battles", { cookie, headers });
        for (const c of r.setCookie) {
          const pair = c.split(";", 1)[0] ?? "";
          if (pair.startsWith("arena_voter=")) cookie = pair;
        }
        const wait = Number(r.headers["retry-after"] ?? 0);
        if (r.status === 429 && patient && wait <= 65) {
          await sleep(wait * 1000);
          continue;
        }
        return r.status === 201 ? (JSON.parse(r.body) as SimBattle) : null;
      }
    },
    async vote(id, winner) {
      const r = await http.request("POST", `/api/battles/${id}/vote`, {
        cookie,
        headers,
        json: { winner },
      });
      return r.status === 200 ? (JSON.parse(r.body) as SimReveal) : null;
    },
    forget() {
      cookie = undefined;
    },
  };
}

async function targetRow(http: HttpClient) {
  const r = await http.request("GET", "/api/leaderboard?category=overall&ci=bootstrap");
  const rows = JSON.parse(r.body).rows as {
    model: string;
    rating: number;
    ciLower: number;
    ciUpper: number;
  }[];
  const row = rows.find((x) => x.model === TARGET);
  if (!row) throw new Error(`${TARGET} is not on the board`);
  return row;
}

async function run(mode: "default" | "patient", seed: number) {
  const dbFile = freshDatabase(`manipulation-${mode}-${seed}`);
  const port = await freePort(Number(values.port));
  const env: Record<string, string> = {
    ARENA_RATE_LIMIT: "1",
    TRUST_PROXY: "1",
    ARENA_ANOMALY_INTERVAL_MS: "1000",
    LEADERBOARD_MAX_STALENESS_MS: "0",
    LEADERBOARD_BOOTSTRAP_ROUNDS: "300",
  };
  if (mode === "patient") {
    env.ARENA_NEW_VOTERS_PER_HOUR = "1000";
    env.ARENA_SKIPS_PER_HOUR = "1000";
  }
  const server = await startServer({ port, dbFile, env });
  const http = new HttpClient(server.url, { maxSockets: 8 });
  try {
    const { sqlite, db } = openReadOnly(dbFile);
    const byText = new Map(
      (
        await db
          .select({ text: responses.text, slug: models.slug })
          .from(responses)
          .innerJoin(models, eq(models.id, responses.modelId))
      ).map((r) => [r.text, QUALITY[r.slug] ?? 1000]),
    );
    const quality = (text: string) => byText.get(text) ?? 1000;
    const rng = seededRng(seed);
    for (let v = 0; v < 40; v++)
      await runHonestVoter(httpClient(http, `198.51.100.${v + 1}`), 30, quality, rng);
    for (let v = 0; v < 20; v++) await runHonestVoter(httpClient(http, NAT_IP), 30, quality, rng);
    await sleep(2500);
    const before = await targetRow(http);
    const t0 = Date.now();
    const report = await runPromoter(
      httpClient(http, ATTACKER_IP, mode === "patient"),
      TARGET,
      450,
    );
    const attackSeconds = (Date.now() - t0) / 1000;
    await sleep(2500);
    const after = await targetRow(http);
    const list = await db.select().from(suspects);
    sqlite.close();
    const attacker = list.find((s) => s.key === addressKey(ATTACKER_IP, BENCH_AUTH_SECRET));
    const nat = list.find((s) => s.key === addressKey(NAT_IP, BENCH_AUTH_SECRET));
    const others = list.filter((s) => s !== attacker && s !== nat);
    return {
      mode,
      seed,
      halfWidth: (before.ciUpper - before.ciLower) / 2,
      delta: after.rating - before.rating,
      report,
      attackSeconds,
      attackerFlagged: attacker?.status === "flagged",
      attackerReason: attacker?.reason ?? "",
      natFlagged: nat !== undefined,
      otherFlags: others.map((s) => `${s.kind} ${s.status}: ${s.reason}`),
    };
  } finally {
    http.close();
    await server.stop();
    removeDatabase(dbFile);
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

async function main() {
  if (!values["no-build"]) ensureBuild({ log: true });
  const modes: ("default" | "patient")[] =
    values.mode === "both" ? ["default", "patient"] : [values.mode as "default" | "patient"];
  const runs = Number(values.runs);
  let failed = false;
  for (const mode of modes) {
    const results = [];
    for (let i = 0; i < runs; i++) {
      const r = await run(mode, 1000 + i);
      results.push(r);
      console.log(
        `${mode} run ${i + 1}: Δ ${r.delta.toFixed(1)} (half-width ${r.halfWidth.toFixed(1)}), ` +
          `${r.report.battles} battles (${r.report.refused} refused), ${r.report.votes} votes ` +
          `(${r.report.forTarget} for the target, ${r.report.ties} ties), ${r.report.voters} voter ids, ` +
          `${r.attackSeconds.toFixed(0)} s; attacker flagged: ${r.attackerFlagged} (${r.attackerReason}); ` +
          `NAT flagged: ${r.natFlagged}; other flags: ${r.otherFlags.length ? r.otherFlags.join(" | ") : "none"}`,
      );
      if (Math.abs(r.delta) >= r.halfWidth || r.natFlagged) failed = true;
      if (r.report.votes >= 10 && !r.attackerFlagged) failed = true;
    }
    console.log(
      `${mode}: median |Δ| ${median(results.map((r) => Math.abs(r.delta))).toFixed(1)} vs median half-width ${median(results.map((r) => r.halfWidth)).toFixed(1)}; ` +
        `attacker flagged ${results.filter((r) => r.attackerFlagged).length}/${runs}; ` +
        `NAT flagged ${results.filter((r) => r.natFlagged).length}/${runs}; ` +
        `other flags ${results.reduce((s, r) => s + r.otherFlags.length, 0)} (of ${runs} × 40 voters, 40 addresses, 20 NAT voters)`,
    );
  }
  process.exit(failed ? 1 : 0);
}

await main();

/**
 * What the server benchmarks share beyond tests/helpers/server-harness.ts: the options every one
 * takes (--root, --no-build, --port, --env, --json), a production server started with the
 * event-loop probe (bench/loop-delay.mjs) and read back on SIGUSR2, the server's CPU time and
 * memory from /proc, the whole machine's busy time (to tell when other work skewed a run), the
 * admin's file upload, and latency statistics.
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import {
  type ArenaServer,
  BENCH_ADMIN_TOKEN,
  CACHE_DIR,
  ensureBuild,
  freePort,
  REPO_ROOT,
  sleep,
  startServer,
} from "../tests/helpers/server-harness";
import { percentile } from "./support";

/** parseArgs options common to the server benchmarks. */
export const serverOptions = {
  root: { type: "string" as const },
  "no-build": { type: "boolean" as const, default: false },
  port: { type: "string" as const },
  env: { type: "string" as const, multiple: true as const, default: [] as string[] },
  json: { type: "string" as const },
};

export interface ServerArgs {
  root?: string;
  "no-build"?: boolean;
  port?: string;
  env?: string[];
}

/** `--env K=V` (repeatable) as an object. */
export function envPairs(list: string[] = []): Record<string, string> {
  return Object.fromEntries(
    list.map((kv) => {
      const i = kv.indexOf("=");
      if (i < 1) throw new Error(`--env ${kv}: expected KEY=VALUE`);
      return [kv.slice(0, i), kv.slice(i + 1)];
    }),
  );
}

/** The checkout to serve, built first unless --no-build. */
export function benchRoot(args: ServerArgs): string {
  const root = path.resolve(args.root ?? REPO_ROOT);
  if (!args["no-build"]) ensureBuild({ root });
  return root;
}

// ---------------------------------------------------------------------------------------------
// /proc

/** CPU seconds (user + system, all threads) a process has used, from /proc (NaN elsewhere). */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/**
 * CPU seconds of a process with its children: its own threads, its children that ended
 * (cutime + cstime) and those still running, so a fit worker process counts as the server's.
 */
export function processTreeCpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    let total = (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / 100;
    const children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
    for (const c of children ? children.split(/\s+/) : []) {
      const t = processTreeCpuSeconds(Number(c));
      if (!Number.isNaN(t)) total += t;
    }
    return total;
  } catch {
    return Number.NaN;
  }
}

/** Resident memory of a process in bytes (VmRSS), NaN when unknown. */
export function processRssBytes(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Busy CPU seconds of the whole machine (all processes), from /proc/stat. */
export function machineBusySeconds(): number {
  try {
    const f = (fs.readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "").split(/\s+/).slice(1);
    const [user, nice, system, , , irq, softirq, steal] = f.map(Number);
    return (
      ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / 100
    );
  } catch {
    return Number.NaN;
  }
}

/** Samples a process's RSS every `everyMs` until stopped; the peak seen. */
export function rssSampler(pid: number, everyMs = 100) {
  let peak = processRssBytes(pid);
  const timer = setInterval(() => {
    const now = processRssBytes(pid);
    if (now > peak || Number.isNaN(peak)) peak = now;
  }, everyMs);
  return {
    reset() {
      peak = processRssBytes(pid);
    },
    peak: () => peak,
    stop: () => clearInterval(timer),
  };
}

// ---------------------------------------------------------------------------------------------
// The server, with the event-loop probe

/** What bench/loop-delay.mjs reports (milliseconds). */
export interface LoopDelay {
  max: number;
  p99: number;
  p50: number;
  heldMax: number | null;
  heldP99: number | null;
  runqueueMax: number | null;
  samples: number;
  at: number;
}

export interface BenchServer {
  server: ArenaServer;
  /** The event loop since the previous call (or the start). */
  loopDelay(): Promise<LoopDelay>;
  /** CPU seconds of the server and any processes it started. */
  cpuSeconds(): number;
  rssBytes(): number;
  stop(): Promise<void>;
}

const PROBE = path.join(REPO_ROOT, "bench", "loop-delay.mjs");

/**
 * The production server of `root` on a free port at or after `port`, with DATABASE_URL, limits
 * off (the harness's defaults), and the loop-delay probe preloaded.
 */
export async function startBenchServer(opts: {
  root: string;
  port: number;
  databaseUrl: string;
  /** The SQLite file the harness needs; any path for another database. */
  dbFile: string;
  env?: Record<string, string>;
  nodeArgs?: string[];
}): Promise<BenchServer> {
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const delayFile = path.join(CACHE_DIR, `loop-delay-${process.pid}-${opts.port}.json`);
  fs.rmSync(delayFile, { force: true });
  const port = await freePort(opts.port);
  const server = await startServer({
    port,
    databaseUrl: opts.databaseUrl,
    root: opts.root,
    nodeArgs: ["--import", PROBE, ...(opts.nodeArgs ?? [])],
    env: { ...opts.env, DATABASE_URL: opts.databaseUrl, LOOP_DELAY_FILE: delayFile },
  });
  return {
    server,
    async loopDelay() {
      const asked = Date.now();
      process.kill(server.pid, "SIGUSR2");
      // The server answers when its loop is free: after a long stall, that can take a while.
      for (let i = 0; i < 12_000; i++) {
        try {
          const d = JSON.parse(fs.readFileSync(delayFile, "utf8")) as LoopDelay;
          if (d.at >= asked) return d;
        } catch {
          // not written yet
        }
        await sleep(10);
      }
      throw new Error("the server did not report its event-loop delay");
    },
    cpuSeconds: () => processTreeCpuSeconds(server.pid),
    rssBytes: () => processRssBytes(server.pid),
    async stop() {
      await server.stop(10_000);
      fs.rmSync(delayFile, { force: true });
    },
  };
}

/** POST /api/admin/import with the bearer token, the file streamed as the raw body. */
export function uploadImport(
  base: string,
  file: string,
): Promise<{ status: number; body: string }> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: u.hostname,
        port: Number(u.port),
        method: "POST",
        path: `/api/admin/import?name=${encodeURIComponent(path.basename(file))}`,
        headers: {
          authorization: `Bearer ${BENCH_ADMIN_TOKEN}`,
          "content-type": file.endsWith(".csv") ? "text/csv" : "application/x-ndjson",
          "content-length": String(fs.statSync(file).size),
        },
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => {
          body += c;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        res.on("error", reject);
      },
    );
    req.setTimeout(30 * 60_000, () => req.destroy(new Error("import timed out")));
    req.on("error", reject);
    fs.createReadStream(file).pipe(req);
  });
}

// ---------------------------------------------------------------------------------------------
// Statistics

export interface Latency {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function latency(xs: number[]): Latency {
  const s = [...xs].sort((a, b) => a - b);
  return {
    n: s.length,
    p50: percentile(s, 0.5),
    p95: percentile(s, 0.95),
    p99: percentile(s, 0.99),
    max: s.length ? (s[s.length - 1] as number) : Number.NaN,
  };
}

export function median(xs: number[]): number {
  const s = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

export { freePort, sleep };

/**
 * `arena leaderboard --battles` on a 1,000,000-vote, 100-model FastChat CSV (1000 bootstrap
 * rounds), against the time Node takes merely to read the file and split it into lines and
 * fields. Target: the leaderboard within 5× of that.
 *
 *   npx tsx bench/cli.ts [--votes 1000000] [--models 100]
 *
 * The CSV is generated once (seeded) into bench/.cache/ (git-ignored). Both are measured in
 * fresh processes (cold, as a user runs the CLI; process start-up excluded: each child times
 * itself) and, for reference, warm inside this process.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { runLeaderboard } from "../lib/cli/leaderboard";
import { synthesizeVotes } from "./ranking-data";

const HERE = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    votes: { type: "string", default: "1000000" },
    models: { type: "string", default: "100" },
    child: { type: "string" },
    file: { type: "string" },
  },
});

const WINNER = ["model_a", "model_b", "tie", "tie (bothbad)"];

/** The baseline: read the file and split it into lines and fields, nothing else. */
function readAndSplit(path: string): number {
  const lines = readFileSync(path, "utf8").split("\n");
  let fields = 0;
  for (const line of lines) fields += line.split(",").length;
  return fields;
}

async function runCli(path: string): Promise<number> {
  let bytes = 0;
  const sink = { write: (s: string) => (bytes += s.length) };
  const code = await runLeaderboard(["--battles", path, "--format", "json"], {
    stdout: sink,
    stderr: process.stderr,
  });
  if (code !== 0) throw new Error(`leaderboard exited with ${code}`);
  return bytes;
}

async function timed(fn: () => unknown): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

if (values.child) {
  // child process: time one cold run and print the milliseconds
  const path = values.file as string;
  const ms = await timed(() => (values.child === "baseline" ? readAndSplit(path) : runCli(path)));
  process.stdout.write(`${ms}\n`);
  process.exit(0);
}

const voteCount = Number(values.votes);
const modelCount = Number(values.models);
const cache = join(HERE, ".cache");
const csv = join(cache, `votes-${modelCount}m-${voteCount}v.csv`);
if (!existsSync(csv)) {
  mkdirSync(cache, { recursive: true });
  const arena = synthesizeVotes(modelCount, voteCount, 7);
  const rows = ["arena_idx,model_a,model_b,winner"];
  for (let v = 0; v < voteCount; v++) {
    rows.push(
      `${v},${arena.models[arena.a[v] as number]},${arena.models[arena.b[v] as number]},${WINNER[arena.outcome[v] as number]}`,
    );
  }
  writeFileSync(csv, `${rows.join("\n")}\n`);
}
console.log(
  `${csv}: ${(statSync(csv).size / 1e6).toFixed(1)} MB, ${voteCount.toLocaleString("en")} votes, ${modelCount} models`,
);

function child(mode: string): number {
  const script = fileURLToPath(import.meta.url);
  const out = execFileSync(
    process.execPath,
    [...process.execArgv, script, "--child", mode, "--file", csv],
    {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  return Number(out.trim());
}

const coldBaseline: number[] = [];
const coldCli: number[] = [];
for (let r = 0; r < 3; r++) {
  coldBaseline.push(child("baseline"));
  coldCli.push(child("cli"));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const base = median(coldBaseline);
const cli = median(coldCli);
console.log(`fresh process, median of 3:`);
console.log(`  read + split into lines and fields   ${base.toFixed(0).padStart(6)} ms`);
console.log(`  arena leaderboard (1000 bootstrap)   ${cli.toFixed(0).padStart(6)} ms`);
console.log(
  `  ratio ${(cli / base).toFixed(2)}×  (target ≤ 5×)  ${cli / base <= 5 ? "ok" : "OVER"}`,
);

await runCli(csv); // warm-up
const warmBase = median([
  await timed(() => readAndSplit(csv)),
  await timed(() => readAndSplit(csv)),
  await timed(() => readAndSplit(csv)),
]);
const warmCli = median([
  await timed(() => runCli(csv)),
  await timed(() => runCli(csv)),
  await timed(() => runCli(csv)),
]);
console.log(`warm, in this process, median of 3:`);
console.log(
  `  read + split ${warmBase.toFixed(0)} ms, leaderboard ${warmCli.toFixed(0)} ms, ratio ${(warmCli / warmBase).toFixed(2)}×`,
);

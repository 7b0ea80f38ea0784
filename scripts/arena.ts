/**
 * The `arena` CLI: `npm run arena -- <command> [options]`. Thin: it hands the arguments to
 * lib/cli, which parses them and calls lib/. `npm run arena -- help` lists the commands.
 */
import { runCli } from "../lib/cli";

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  },
);

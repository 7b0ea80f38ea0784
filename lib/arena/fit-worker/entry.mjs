// The fit worker's thread starts here (lib/arena/fit-worker/start.ts). The thread runs the
// TypeScript of the checkout through tsx (a dependency already: `npm start` and the CLI run on
// it), so the worker shares lib/ranking and lib/arena with the app without a build of its own.
import path from "node:path";
import { workerData } from "node:worker_threads";
import { tsImport } from "tsx/esm/api";

await tsImport(
  path.join(workerData.root, "lib", "arena", "fit-worker", "thread.ts"),
  import.meta.url,
);

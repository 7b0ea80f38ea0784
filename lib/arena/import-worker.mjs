// The entry of an import's worker thread (lib/arena/import-thread.ts starts it). Plain
// JavaScript, so Node can start it outside Next's bundle; it loads the TypeScript job through
// tsx, a runtime dependency already (the CLI and `npm start` run on it).
import { tsImport } from "tsx/esm/api";

const { serveImportJobs } = await tsImport("./import-job.ts", import.meta.url);
serveImportJobs();

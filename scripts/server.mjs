// The production server: Next.js behind a plain Node HTTP server, so that the client's address
// comes from the socket and not from a header anyone can send. X-Forwarded-For is believed only
// when TRUST_PROXY says how many proxies stand in front of the app (read, like every variable,
// by lib/env.ts's schema: instrumentation.ts hands the number over when Next starts).
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import next from "next";
import { bodyCaps, capFor, capRequestBody } from "./body-cap.mjs";
import { clientIp } from "./client-ip.mjs";
import { escapeMalformedPath } from "./malformed-path.mjs";

const port = Number.parseInt(process.env.PORT || "3000", 10);
const caps = bodyCaps();

// Route handlers believe x-arena-client-ip only next to this per-process token, which never
// leaves the process: a client that sends the header itself (or any request under `next dev`,
// where this server does not run) is not believed.
const CLIENT_IP_TOKEN = randomBytes(24).toString("base64url");
globalThis[Symbol.for("arena.clientIpToken")] = CLIENT_IP_TOKEN;

// instrumentation.ts reports here once it has run (Next starts it during prepare() without
// waiting for it): the settings this server needs, or why the arena cannot start.
let waiting;
const started = new Promise((resolve, reject) => {
  globalThis[Symbol.for("arena.start")] = { started: resolve, failed: reject };
  waiting = setTimeout(
    () => reject(new Error("instrumentation.ts did not run: rebuild with `npx next build`")),
    300_000,
  );
});
const app = next({ dev: false, port });
const handle = app.getRequestHandler();
let trustedHops = 0;
try {
  await app.prepare();
  ({ trustProxy: trustedHops } = await started);
  clearTimeout(waiting);
} catch (e) {
  // a bad variable, named by lib/env.ts, or a database that cannot be opened
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
}
// Set by instrumentation.ts when Next starts: the battle and vote endpoints, served before Next.
const FAST_PATH = Symbol.for("arena.fastPath");

const server = createServer((req, res) => {
  if (capRequestBody(req, res, capFor(req.url, caps))) return;
  escapeMalformedPath(req);
  const ip = clientIp(req.socket.remoteAddress, req.headers["x-forwarded-for"], trustedHops);
  if (trustedHops === 0) delete req.headers["x-forwarded-for"];
  req.headers["x-arena-client-ip"] = ip;
  req.headers["x-arena-client-ip-token"] = CLIENT_IP_TOKEN;
  if (globalThis[FAST_PATH]?.(req, res)) return;
  handle(req, res);
});
server.keepAliveTimeout = 65_000;
server.listen(port, () => console.log(`> Next.js ready on port ${port}`));

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
  });
}

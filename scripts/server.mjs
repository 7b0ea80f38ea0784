// The production server: Next.js behind a plain Node HTTP server, so that the client's address
// comes from the socket and not from a header anyone can send. X-Forwarded-For is believed only
// when TRUST_PROXY says how many proxies stand in front of the app.
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import next from "next";
import { bodyCaps, capFor, capRequestBody } from "./body-cap.mjs";
import { clientIp } from "./client-ip.mjs";
import { escapeMalformedPath } from "./malformed-path.mjs";

const port = Number.parseInt(process.env.PORT || "3000", 10);
const trustedHops = parseTrustProxy(process.env.TRUST_PROXY);
const caps = bodyCaps();

/** `1`/`true`: one proxy in front; a number: that many; unset/`0`/`false`: none. */
function parseTrustProxy(value) {
  if (!value || value === "0" || value === "false") return 0;
  if (value === "true") return 1;
  const hops = Number.parseInt(value, 10);
  if (!Number.isInteger(hops) || hops < 0)
    throw new Error(`TRUST_PROXY must be true, false or a number of proxies, not "${value}"`);
  return hops;
}

// Route handlers believe x-arena-client-ip only next to this per-process token, which never
// leaves the process: a client that sends the header itself (or any request under `next dev`,
// where this server does not run) is not believed.
const CLIENT_IP_TOKEN = randomBytes(24).toString("base64url");
globalThis[Symbol.for("arena.clientIpToken")] = CLIENT_IP_TOKEN;

const app = next({ dev: false, port });
const handle = app.getRequestHandler();
await app.prepare();
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

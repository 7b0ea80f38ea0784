// One overall cap on request bodies, for every route, before anything else reads them (see
// server.mjs). Routes keep their own smaller limits; this is the floor under all of them, so a
// route that forgets one (or Next's own body parsing for forms and server actions) cannot be
// made to buffer an endless upload. Over the cap the server answers 413 JSON itself.

const MiB = 1024 * 1024;
/** Every route but the import: votes, forms, sign-in and server actions are all far smaller. */
export const DEFAULT_BODY_CAP = 1 * MiB;
/** The import's own limit (lib/env.ts, IMPORT_MAX_BYTES) plus room for multipart framing. */
export const IMPORT_DEFAULT_MAX_BYTES = 200 * MiB;
export const MULTIPART_SLACK = 1 * MiB;
const IMPORT_PATH = "/api/admin/import";
/** After a 413 sent mid-upload, how long the rest of the upload is read and dropped. */
const LINGER_MS = 2000;

/** The caps from the environment: `{ import, other }` in bytes. */
export function bodyCaps(env = process.env) {
  const importMax = Number.parseInt(env.IMPORT_MAX_BYTES ?? "", 10);
  return {
    import:
      (Number.isInteger(importMax) && importMax > 0 ? importMax : IMPORT_DEFAULT_MAX_BYTES) +
      MULTIPART_SLACK,
    other: DEFAULT_BODY_CAP,
  };
}

/** The cap for this request's path. */
export function capFor(url, caps) {
  const path = (url ?? "/").split("?")[0];
  return path === IMPORT_PATH || path === `${IMPORT_PATH}/` ? caps.import : caps.other;
}

/**
 * Refuses a body over `cap`: a declared Content-Length at once (true: answered here, do not pass
 * the request on); a chunked body as its bytes pass the cap, whoever is reading it by then.
 * Node's parser never delivers more than a declared length, so only chunked bodies are counted.
 */
export function capRequestBody(req, res, cap) {
  const declared = req.headers["content-length"];
  if (declared !== undefined && Number(declared) > cap) {
    refuse(req, res, cap);
    return true;
  }
  if (req.headers["transfer-encoding"] === undefined) return false;
  let received = 0;
  let refused = false;
  const push = req.push;
  // The parser hands each body chunk to req.push: counting there sees every byte, whether the
  // route reads the stream or not, without changing how the route reads it.
  req.push = function countedPush(chunk, encoding) {
    if (chunk !== null && chunk !== undefined) {
      if (refused) return true; // past the cap: dropped unread
      received += chunk.length;
      if (received > cap) {
        refused = true;
        refuse(req, res, cap);
        return true;
      }
    }
    return push.call(this, chunk, encoding);
  };
  return false;
}

function refuse(req, res, cap) {
  if (res.headersSent) {
    // the route answered without reading the body: close once its answer is out, rather than
    // keep reading (and dropping) an upload nobody wants
    if (res.writableFinished) req.socket.destroy();
    else res.once("finish", () => req.socket.destroy());
    return;
  }
  const body = JSON.stringify({
    error: `The request body is larger than ${cap} bytes.`,
    code: "payload_too_large",
  });
  lingerOnClose(req.socket);
  res.writeHead(413, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(body),
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    Connection: "close",
  });
  res.end(body);
  // Next may still hold the request and answer later (an error, once the body never ends):
  // the client has its answer, so anything written after it goes nowhere.
  silence(res);
}

/**
 * With `Connection: close`, Node destroys the socket right after the answer is written; a client
 * still sending would then get a reset, which can wipe the answer before it reads it. Instead
 * the socket sends its end and keeps reading (and dropping) for a moment, so the client sees
 * the 413, then is closed.
 */
function lingerOnClose(socket) {
  socket.destroySoon = function lingeringClose() {
    if (this.writable) this.end();
    setTimeout(() => this.destroy(), LINGER_MS).unref();
  };
}

function silence(res) {
  res.writeHead = () => res;
  res.setHeader = () => res;
  res.appendHeader = () => res;
  res.removeHeader = () => {};
  res.flushHeaders = () => {};
  res.write = (_chunk, encoding, cb) => {
    const done = typeof encoding === "function" ? encoding : cb;
    if (typeof done === "function") process.nextTick(done);
    return true;
  };
  res.end = (chunk, encoding, cb) => {
    const done = [chunk, encoding, cb].find((a) => typeof a === "function");
    if (typeof done === "function") process.nextTick(done);
    return res;
  };
}

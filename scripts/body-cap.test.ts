import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bodyCaps, capFor, capRequestBody } from "./body-cap.mjs";

const CAP = 64 * 1024;
let server: Server;
let port: number;
/** What the app behind the cap saw: bytes read per request, and whether it answered. */
const seen: number[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    if (capRequestBody(req, res, CAP)) return;
    // the "app": reads the whole body, then answers with its size
    let n = 0;
    req.on("data", (c: Buffer) => {
      n += c.length;
    });
    req.on("end", () => {
      seen.push(n);
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ read: n }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** Sends `size` bytes in 16 KB writes (chunked unless `declared`) and reads the answer as it comes. */
function send(size: number, declared: boolean): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        port,
        host: "127.0.0.1",
        method: "POST",
        path: "/anything",
        headers: declared ? { "Content-Length": size } : {},
      },
      (res) => {
        let body = "";
        res.on("data", (c) => {
          body += c;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    let sent = 0;
    const chunk = Buffer.alloc(16 * 1024, 120);
    const pump = () => {
      while (sent < size) {
        const n = Math.min(chunk.length, size - sent);
        sent += n;
        if (!req.write(chunk.subarray(0, n))) {
          req.once("drain", pump);
          return;
        }
      }
      req.end();
    };
    // a refused upload may be cut off mid-way: the answer is what matters
    req.on("error", () => {});
    pump();
  });
}

describe("the overall body cap", () => {
  it("passes bodies up to the cap, declared or chunked", async () => {
    for (const declared of [true, false]) {
      const r = await send(CAP, declared);
      expect(r.status).toBe(200);
      expect(JSON.parse(r.body)).toEqual({ read: CAP });
    }
  });

  it("answers 413 JSON to a declared body over the cap, before reading it", async () => {
    const before = seen.length;
    const r = await send(CAP * 8, true);
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body)).toEqual({
      error: `The request body is larger than ${CAP} bytes.`,
      code: "payload_too_large",
    });
    expect(seen.length).toBe(before);
  });

  it("answers 413 JSON once a chunked body passes the cap, and the app never gets the rest", async () => {
    const before = seen.length;
    const r = await send(CAP * 8, false);
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body).code).toBe("payload_too_large");
    // the app saw at most the cap, and never the end of the body
    expect(seen.length).toBe(before);
  });

  it("gives the import its own limit plus multipart room, and everything else 1 MiB", () => {
    const caps = bodyCaps({ IMPORT_MAX_BYTES: String(10 * 1024 * 1024) });
    expect(caps).toEqual({ import: 11 * 1024 * 1024, other: 1024 * 1024 });
    expect(bodyCaps({}).import).toBe(201 * 1024 * 1024);
    expect(capFor("/api/admin/import?dryRun=1", caps)).toBe(caps.import);
    expect(capFor("/api/admin/importer", caps)).toBe(caps.other);
    expect(capFor("/api/battles", caps)).toBe(caps.other);
  });
});

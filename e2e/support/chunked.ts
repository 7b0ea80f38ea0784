import http from "node:http";

/**
 * POSTs `size` bytes with Transfer-Encoding: chunked (no Content-Length, which Playwright's
 * request context always sends), so a size cap has to count what actually arrives.
 */
export function postChunked(url: string, size: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
    });
    req.on("response", (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    const chunk = Buffer.alloc(1024, "x");
    for (let sent = 0; sent < size; sent += chunk.length) req.write(chunk);
    req.end();
  });
}

import type { NextConfig } from "next";
import { API_CSP, SECURITY_HEADERS } from "./lib/http/csp";

const securityHeaders = Object.entries(SECURITY_HEADERS).map(([key, value]) => ({ key, value }));

const config: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // tsx runs the fit worker's TypeScript from the checkout (lib/arena/fit-worker/entry.mjs): not bundled
  serverExternalPackages: ["better-sqlite3", "tsx"],
  // `npm test` type-checks the whole project with tsc; the build need not do it a second time.
  typescript: { ignoreBuildErrors: true },
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: API_CSP }] },
    ];
  },
};

export default config;

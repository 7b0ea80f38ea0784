import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": fileURLToPath(new URL(".", import.meta.url)),
      // Unit tests run domain code outside React's server environment, where the guard would throw.
      "server-only": fileURLToPath(new URL("./tests/helpers/empty.ts", import.meta.url)),
    },
  },
  test: {
    include: ["lib/**/*.test.ts", "db/**/*.test.ts", "scripts/**/*.test.ts", "tests/**/*.test.ts"],
    environment: "node",
    setupFiles: ["tests/setup.ts"],
    globalSetup: ["tests/global-setup.ts"],
    // Generous: the two databases' suites run side by side on a 2-core machine, and on
    // PostgreSQL the simulated arenas (thousands of votes, a round trip per query) take minutes.
    testTimeout: process.env.ARENA_TEST_DIALECT === "postgres" ? 300_000 : 120_000,
    // afterAll drops the file's test databases on PostgreSQL: seconds when the server is busy
    hookTimeout: 60_000,
    // On PostgreSQL the tests mostly wait on the server, not on the CPU: more files at once.
    ...(process.env.ARENA_TEST_DIALECT === "postgres" ? { maxWorkers: 3 } : {}),
  },
});

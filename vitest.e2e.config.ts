// Browser tests of the web UI (`npm run test:e2e`): plain Node pool, real
// `wrangler dev` (scripts/local-server.mjs) and Debian's Chromium via playwright-core.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["web/e2e/**/*.e2e.ts"],
    environment: "node",
    pool: "forks",
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});

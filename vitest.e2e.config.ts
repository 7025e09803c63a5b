// End-to-end tests against a real local Kiln (scripts/local-server.mjs: the
// control plane and the app runner as two workerd processes under the
// supervisor), plain Node pool: the web UI in Chromium (scripts/chromium.mjs)
// via playwright-core (web/e2e), and attacks on the runner (tests/attacks).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "web/e2e/**/*.e2e.ts",
      "tests/attacks/**/*.e2e.ts",
      "tests/automations/**/*.e2e.ts",
      "tests/serving/**/*.e2e.ts",
      "tests/mcp/**/*.e2e.ts",
    ],
    environment: "node",
    pool: "forks",
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});

// Runs bench/guards-workerd.bench.ts inside workerd (real Worker Loader), for bench/guards.mjs.
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [cloudflareTest({ wrangler: { configPath: "./wrangler.jsonc" } })],
  test: {
    include: ["bench/guards-workerd.bench.ts"],
    isolate: false,
    testTimeout: 120_000,
  },
});

import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Tests run inside workerd with the real bindings of wrangler.jsonc
// (Worker Loader, D1, R2, SQLite Durable Objects); D1 gets the real migrations.
export default defineConfig(async () => {
  const migrations = await readD1Migrations("./migrations");
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: "./wrangler.jsonc" },
        miniflare: { bindings: { TEST_MIGRATIONS: migrations, KILN_INTERNAL_SECRET: "test-internal-secret" } },
      }),
    ],
    test: {
      include: ["worker/**/*.test.ts", "connectors/**/*.test.ts", "templates/**/*.test.ts"],
      setupFiles: ["./worker/test/apply-migrations.ts"],
      // One workerd for all files: a second per-file worker fails to receive the
      // multi-MB bundler modules ("WebSocket … Message is too large").
      isolate: false,
      testTimeout: 60_000,
      hookTimeout: 60_000,
    },
  };
});

import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import svelteConfig from "./web/svelte.config.js";
import { startFakeUpstreams } from "./connectors/testing/start-fakes.ts";
import { startFakeSmtp } from "./worker/test/fake-smtp/server.ts";
import { startAlertReceiver } from "./worker/test/alert-receiver/server.ts";
import { startScriptedModel } from "./worker/test/scripted-model/server.ts";

// Tests run inside workerd with the real bindings of wrangler.jsonc
// (Worker Loader, D1, R2, SQLite Durable Objects); D1 gets the real migrations.
export default defineConfig(async () => {
  const migrations = await readD1Migrations("./migrations");
  // Loopback fakes of Stripe, Airtable and Google live as long as this test run;
  // their base URLs reach the Worker as the same variables production leaves unset.
  const fakes = await startFakeUpstreams();
  // The chat tests' model: a loopback OpenAI-compatible server replaying recorded answers.
  const scriptedModel = await startScriptedModel();
  // A loopback SMTP server; its URL is TEST_SMTP_URL, not KILN_SMTP_URL, so other tests keep the local outbox.
  const smtp = await startFakeSmtp();
  // A loopback receiver of alert webhooks; KILN_ALERT_WEBHOOK_LOOPBACK lets alert settings point at it.
  const alertReceiver = await startAlertReceiver();
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: "./wrangler.jsonc" },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            KILN_INTERNAL_SECRET: "test-internal-secret",
            KILN_AUTOMATION_RETRY_SECONDS: "1",
            KILN_MASTER_KEY: "a2lsbiB2aXRlc3QgbWFzdGVyIGtleSAzMiBieXRlcyE=",
            ...fakes.vars,
            ...scriptedModel.vars,
            ...smtp.vars,
            ...alertReceiver.vars,
            KILN_ALERT_WEBHOOK_LOOPBACK: "1",
          },
        },
      }),
    ],
    // The web UI's aliases for the worker's shared definitions, as web/svelte.config.js declares them, so its
    // helpers' tests resolve them.
    resolve: {
      alias: Object.fromEntries(
        Object.entries(svelteConfig.kit?.alias ?? {}).map(([alias, target]) => [
          alias,
          fileURLToPath(new URL(`./web/${target}`, import.meta.url)),
        ]),
      ),
    },
    test: {
      // web/src/lib: the UI's pure helpers (diffs, CSV, schedules) run here too.
      include: ["worker/**/*.test.ts", "connectors/**/*.test.ts", "templates/**/*.test.ts", "web/src/lib/**/*.test.ts"],
      setupFiles: ["./worker/test/apply-migrations.ts"],
      // One workerd for all files: a second per-file worker fails to receive the
      // multi-MB bundler modules ("WebSocket … Message is too large").
      isolate: false,
      // The loopback fakes are shared by every file, and some tests flip a fake's global switches
      // (token lifetime, refresh-token rotation): files run one after another so none sees another's.
      fileParallelism: false,
      testTimeout: 60_000,
      hookTimeout: 60_000,
    },
  };
});

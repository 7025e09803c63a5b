import type { D1Migration } from "cloudflare:test";
import type { Env as PlatformEnv } from "../src/core/env";

// `env` from "cloudflare:test" is the platform's Env plus the migrations the setup file applies.
declare global {
  namespace Cloudflare {
    interface Env extends PlatformEnv {
      TEST_MIGRATIONS: D1Migration[];
      /** The loopback SMTP server (worker/test/fake-smtp): a KILN_SMTP_URL for it, and where it lists what it got. */
      TEST_SMTP_URL: string;
      TEST_SMTP_INBOX: string;
      /** The loopback receiver of alert webhooks (worker/test/alert-receiver). */
      TEST_ALERT_RECEIVER: string;
    }
  }
}

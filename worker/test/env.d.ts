import type { D1Migration } from "cloudflare:test";
import type { Env as PlatformEnv } from "../src/env";

// `env` from "cloudflare:test" is the platform's Env plus the migrations the setup file applies.
declare global {
  namespace Cloudflare {
    interface Env extends PlatformEnv {
      TEST_MIGRATIONS: D1Migration[];
    }
  }
}

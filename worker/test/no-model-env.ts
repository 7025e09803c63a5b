import { env } from "cloudflare:workers";
import type { Env } from "../src/core/env";

/** The test Worker's environment with no model configured: every model setting empty, as wrangler.jsonc ships them. */
export const noModelEnv: Env = {
  ...env,
  KILN_MODEL_PROVIDER: "",
  KILN_MODEL: "",
  KILN_MODEL_BASE_URL: "",
  KILN_MODEL_API_KEY: undefined,
  OPENAI_API_KEY: undefined,
  ANTHROPIC_API_KEY: undefined,
};

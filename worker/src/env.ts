import type { AutomationDispatcher } from "./automations/dispatcher";
import type { AppDataStore } from "./data/app-data-store";
import type KilnRunner from "./runner-worker";

/** The RUNNER service binding: the runner worker's RPC surface. */
export type KilnRunnerService = Service<KilnRunner>;

/** Bindings and variables of the platform Worker (see wrangler.jsonc). */
export interface Env {
  LOADER: WorkerLoader;
  DB: D1Database;
  BUNDLES: R2Bucket;
  APP_DATA: DurableObjectNamespace<AppDataStore>;
  ASSETS?: Fetcher;
  /** The separate app runner (wrangler.runner.jsonc); absent means app code runs in this process. */
  RUNNER?: KilnRunnerService;
  /** Host that serves apps: `{slug}.APPS_DOMAIN` is live, `{slug}--preview.APPS_DOMAIN` is preview. */
  APPS_DOMAIN: string;
  /** Scheme used when building app URLs ("http" locally, "https" in production). */
  APPS_SCHEME?: string;
  /** Shared with the local supervisor for `/internal/*`; unset means those routes do not exist. */
  KILN_INTERNAL_SECRET?: string;
  /** Upstream overrides for tests, staging and demo mode (see connectors/types.ts `upstreamVar`); unset: the real service. */
  STRIPE_API_BASE?: string;
  AIRTABLE_API_BASE?: string;
  GOOGLE_API_BASE?: string;
  GOOGLE_OAUTH_BASE?: string;
  /** Base64 of the 32-byte key that wraps every stored credential's data key (a Worker secret; docs/vault.md). */
  KILN_MASTER_KEY?: string;
  /** The master key being rotated away from; set only while `vault:rotate` runs (docs/vault.md). */
  KILN_MASTER_KEY_PREVIOUS?: string;
  /** "1" offers demo connections backed by the local fakes (`npm start`); anything else: never. */
  KILN_DEMO_CONNECTIONS?: string;
  /** The platform's Google OAuth client (Google Cloud console); unset: Google cannot be connected. */
  GOOGLE_CLIENT_ID?: string;
  GOOGLE_CLIENT_SECRET?: string;
  /** Which model writes apps : "openai" | "anthropic" | "openai-compatible" | "workers-ai"; unset with no key: template mode. */
  KILN_MODEL_PROVIDER?: string;
  /** The model name, e.g. "gpt-4.1" or the name a local server knows. */
  KILN_MODEL?: string;
  /** Base URL of an OpenAI-compatible server (e.g. http://127.0.0.1:11434/v1), or an override for openai/anthropic. */
  KILN_MODEL_BASE_URL?: string;
  /** Model keys (Worker secrets; never returned or logged). KILN_MODEL_API_KEY is for openai-compatible servers. */
  OPENAI_API_KEY?: string;
  ANTHROPIC_API_KEY?: string;
  KILN_MODEL_API_KEY?: string;
  /** How many times a failing build goes back to the model with its diagnostics (default 3). */
  KILN_REPAIR_ATTEMPTS?: string;
  /** Seconds before an automation's first retry, doubled for each next one (default 30). */
  KILN_AUTOMATION_RETRY_SECONDS?: string;
  /** Starts automation runs (worker/src/automations/dispatcher.ts); Durable Object alarms make retries survive restarts. */
  AUTOMATION_DISPATCHER: DurableObjectNamespace<AutomationDispatcher>;
  /** Workers AI binding, for KILN_MODEL_PROVIDER=workers-ai. */
  AI?: Ai;
}

/** The two databases and deployment slots every app has. */
export type Environment = "preview" | "live";

import type { Environment } from "./api-shapes/common.ts";
export type { Environment };
/**
 * What an operator sets with `wrangler secret put` (locally: `.dev.vars`): never in wrangler.jsonc, so `wrangler types`
 * cannot know them. Never returned, logged or passed to an app.
 */
export interface KilnSecrets {
  /** Base64 of the 32-byte key that wraps every stored credential's data key (docs/vault.md). */
  KILN_MASTER_KEY?: string;
  /** The master key being rotated away from; set only while `vault:rotate` runs (docs/vault.md). */
  KILN_MASTER_KEY_PREVIOUS?: string;
  /** Shared with the local supervisor for `/internal/*`; unset means those routes do not exist. */
  KILN_INTERNAL_SECRET?: string;
  /** The platform's Google OAuth client (Google Cloud console); unset: Google cannot be connected. */
  GOOGLE_CLIENT_ID?: string;
  GOOGLE_CLIENT_SECRET?: string;
  /** Where Kiln sends mail (visitors' sign-in codes): `smtp://user:password@host:587?from=kiln@example.com`
   * (STARTTLS) or `smtps://…:465`. Unset: mail goes to the local outbox (console and the workspace). */
  KILN_SMTP_URL?: string;
  /** Model keys. KILN_MODEL_API_KEY is for openai-compatible servers. */
  OPENAI_API_KEY?: string;
  ANTHROPIC_API_KEY?: string;
  KILN_MODEL_API_KEY?: string;
}

/** Set only by the local supervisor, which binds each of its runners as RUNNER_k and APP_DATA_k (k < RUNNER_COUNT). */
export interface LocalRunnerVars {
  RUNNER_COUNT?: string;
}

/** Set only by tests (and optionally `npm start`): "1" lets alert webhooks go to a loopback receiver. */
export interface LocalTestVars {
  KILN_ALERT_WEBHOOK_LOOPBACK?: string;
}

/**
 * The control plane's bindings and variables (wrangler.jsonc), as the features use them. Written here rather than
 * taken from wrangler's generated `KilnBindings`, whose Durable Object and service types point at the entry
 * points' classes: the bottom layer would then import the top. control-plane/bindings-check.ts fails to compile
 * if the generated bindings and this contract drift apart.
 */
export interface PlatformBindings {
  /** Versions' bundles and sources. */
  BUNDLES: R2Bucket;
  /** Apps' stored files (`env.FILES`), under `files/<app>/<environment>/` (worker/src/files). */
  APP_FILES: R2Bucket;
  /** Users, apps, versions, runs, logs, access rules: everything but the apps' own data. */
  DB: D1Database;
  /** Starts app isolates (Dynamic Workers) when app code runs in this process (the workerd test pool). */
  LOADER: WorkerLoader;
  /** Workers AI, for KILN_MODEL_PROVIDER "workers-ai" (bound on Cloudflare only). */
  AI?: Ai;
  /** The web UI's static files. */
  ASSETS: Fetcher;
  /** Each app environment's SQLite database (`data/app-data-store.ts`); typed where it is used (`appDataNamespace`). */
  APP_DATA: DurableObjectNamespace;
  /** The automation dispatcher shards (`automations/dispatcher.ts`); typed there (`dispatcherNamespace`). */
  AUTOMATION_DISPATCHER: DurableObjectNamespace;
  /** Each app's chat turns (`chat/turn-runner.ts`); typed there (`turnRunnerOf`). */
  TURN_RUNNER: DurableObjectNamespace;
  /** The runner Worker (`runner/index.ts`); absent: app code runs in this process. Typed where it is called (`isolates/remote-runner.ts`, `serving/app-lookup.ts`). */
  RUNNER?: Fetcher;
  APPS_DOMAIN: string;
  APPS_SCHEME: string;
  KILN_URL: string;
  KILN_MODEL_PROVIDER: string;
  KILN_MODEL: string;
  KILN_MODEL_BASE_URL: string;
  KILN_REPAIR_ATTEMPTS: string;
  /** Tokens of Kiln's own model each owner's apps may use per month (kiln/ai); "0": none. */
  KILN_AI_OWNER_MONTHLY_TOKENS: string;
  KILN_AUTOMATION_RETRY_SECONDS: string;
  KILN_DEMO_CONNECTIONS?: string;
  STRIPE_API_BASE?: string;
  AIRTABLE_API_BASE?: string;
  GOOGLE_API_BASE?: string;
  GOOGLE_OAUTH_BASE?: string;
  /** Where an owner's own AI key is sent instead of the provider's API (tests); empty: the real provider. */
  AI_API_BASE?: string;
}

/** The platform Worker's bindings and variables, and its secrets. */
export interface Env extends PlatformBindings, KilnSecrets, LocalRunnerVars, LocalTestVars {}

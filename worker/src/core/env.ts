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

/** The platform Worker's bindings and variables, generated from wrangler.jsonc (`npm run types`), and its secrets. */
export interface Env extends KilnBindings, KilnSecrets, LocalRunnerVars {}

/** The RUNNER service binding: the runner worker's RPC surface (absent: app code runs in this process). */
export type KilnRunnerService = NonNullable<KilnBindings["RUNNER"]>;

/** The two databases and deployment slots every app has. */
export type Environment = "preview" | "live";

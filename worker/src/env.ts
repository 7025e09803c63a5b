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
}

/** The two databases and deployment slots every app has. */
export type Environment = "preview" | "live";

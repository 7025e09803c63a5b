import type { AppDataStore } from "./data/app-data-store";

/** Bindings and variables of the platform Worker (see wrangler.jsonc). */
export interface Env {
  LOADER: WorkerLoader;
  DB: D1Database;
  BUNDLES: R2Bucket;
  APP_DATA: DurableObjectNamespace<AppDataStore>;
  ASSETS?: Fetcher;
  /** Host that serves apps: `{slug}.APPS_DOMAIN` is live, `{slug}--preview.APPS_DOMAIN` is preview. */
  APPS_DOMAIN: string;
  /** Scheme used when building app URLs ("http" locally, "https" in production). */
  APPS_SCHEME?: string;
  /** Shared with the local supervisor for `/internal/*`; unset means those routes do not exist. */
  KILN_INTERNAL_SECRET?: string;
}

/** The two databases and deployment slots every app has. */
export type Environment = "preview" | "live";

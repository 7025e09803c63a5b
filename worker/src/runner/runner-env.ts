import type { RunnerCapabilities } from "../control-plane/runner-capabilities";
import type { AppDataStore } from "../data/app-data-store";

/**
 * Bindings of the runner Worker (wrangler.runner.jsonc): app isolates, a line back to the control plane and its app
 * databases; plus the secrets the local supervisor gives it. Written here, not taken from wrangler's generated
 * `RunnerBindings` (which imports this Worker's own entry); runner/bindings-check.ts keeps the two equal.
 */
export interface RunnerEnv {
  /** Starts app isolates (Dynamic Workers). */
  LOADER: WorkerLoader;
  APPS_DOMAIN: string;
  /** How long a routing-table row lives before it is read again (0: until the control plane pushes a change). */
  ROUTE_CACHE_SECONDS: string;
  /** Warm isolates kept at most, least recently used first out. */
  RUNNER_MAX_ISOLATES: string;
  /** The apps' databases, in this process. */
  APP_DATA: DurableObjectNamespace<AppDataStore>;
  /** Apps' stored files (bound on Cloudflare only; locally the runner reaches the control plane's over CONTROL). */
  APP_FILES?: R2Bucket;
  /** The control plane's side of the runner: egress, logs, bundles, visitor pages. */
  CONTROL: Service<RunnerCapabilities>;
  /** Set by the local supervisor only: requests then mark entry and exit on stdout with it (isolates/request-marks.ts). */
  KILN_MARK_SECRET?: string;
  /** Set by the local supervisor only: the front door proves with it that it gave a request its id. */
  KILN_FRONT_SECRET?: string;
}

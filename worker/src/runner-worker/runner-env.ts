import type { AppDataStore } from "../data/app-data-store";
import type { RunnerCapabilities } from "../runner/runner-capabilities";

/** Bindings of the runner worker (wrangler.runner.jsonc): app isolates and a line back to the control plane. */
export interface RunnerEnv {
  LOADER: WorkerLoader;
  CONTROL: Service<RunnerCapabilities>;
  /** The control plane's app databases (a binding to its Durable Object class). */
  APP_DATA: DurableObjectNamespace<AppDataStore>;
  /** Set by the local supervisor only: requests then mark entry and exit on stdout with it (runner/request-marks.ts). */
  KILN_MARK_SECRET?: string;
}

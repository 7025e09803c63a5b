/**
 * Bindings of the runner worker, generated from wrangler.runner.jsonc (`npm run types`): app isolates, a line back to
 * the control plane and its app databases; plus the one secret the local supervisor gives it.
 */
export interface RunnerEnv extends RunnerBindings {
  /** Set by the local supervisor only: requests then mark entry and exit on stdout with it (runner/request-marks.ts). */
  KILN_MARK_SECRET?: string;
  /** Set by the local supervisor only: the front door proves with it that it gave a request its id. */
  KILN_FRONT_SECRET?: string;
}

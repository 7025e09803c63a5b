import type { Env } from "../env";
import { loadBundle } from "../versions/version-store";
import type { AppRunner } from "./app-runner";
import { LoaderRunner } from "./loader-runner";
import { RemoteRunner } from "./remote-runner";

/**
 * The runner for this deployment: the separate runner Worker when the RUNNER
 * binding exists (npm start, Cloudflare), else app isolates in this process
 * (the workerd test pool, single-process runs).
 */
export function appRunnerFor(env: Env): AppRunner {
  if (env.RUNNER) return new RemoteRunner(env.RUNNER);
  return new LoaderRunner(env.LOADER, (appId, version) => loadBundle(env.BUNDLES, appId, version));
}

import type { Env } from "../core/env";
import { placementOf } from "../placement/runner-placement";
import { loadBundle } from "./bundle-store";
import type { AppRunner } from "./app-runner";
import { LoaderRunner } from "./loader-runner";
import { type AppRunnerService, RemoteRunner } from "./remote-runner";

/** Picks the runner of an app by its slug; the routes take one so tests can hand them another. */
export type RunnerFor = (env: Env, slug: string) => AppRunner;

/**
 * The runner of the app `slug`: the runner Worker that serves it when there is one (npm start, Cloudflare), else
 * app isolates in this process (the workerd test pool, single-process runs).
 */
export const appRunnerFor: RunnerFor = (env, slug) => {
  const { runner, index } = placementOf(env, slug);
  if (runner) return new RemoteRunner(runner as AppRunnerService, undefined, index);
  return new LoaderRunner(env.LOADER, (appId, version) => loadBundle(env.BUNDLES, appId, version));
};

import type { Env } from "../core/env";
import { runnerIndex } from "./runner-index";

/** Where an app lives: the runner that runs its code (absent: this process) and the namespace of its databases. */
export interface AppPlacement {
  /** Which of the local supervisor's runners (0 on Cloudflare and in one process). */
  index: number;
  /** The runner Worker's binding, untyped here: its users type the part they call (isolates/remote-runner.ts, serving/app-lookup.ts). */
  runner: Fetcher | undefined;
  appData: Env["APP_DATA"];
}

/** How many runner processes the local supervisor runs (RUNNER_COUNT); 0 on Cloudflare and in one process. */
export function localRunnerCount(env: Pick<Env, "RUNNER_COUNT">): number {
  const count = Number(env.RUNNER_COUNT ?? "");
  return Number.isInteger(count) && count > 0 ? count : 0;
}

/**
 * The runner and databases of the app `slug`. Locally the supervisor binds each of its runners as RUNNER_k with
 * its databases as APP_DATA_k; on Cloudflare one runner Worker (RUNNER, APP_DATA) scales by itself.
 */
export function placementOf(env: Env, slug: string): AppPlacement {
  const count = localRunnerCount(env);
  if (count === 0) return { index: 0, runner: env.RUNNER, appData: env.APP_DATA };
  return localRunner(env, runnerIndex(slug, count));
}

/** Runner `index` of the local supervisor's runners, with its databases. */
export function localRunner(env: Env, index: number): AppPlacement {
  // The supervisor names these bindings at start (scripts/supervisor.mjs); their number is only known then.
  const bindings = env as unknown as Record<string, unknown>;
  const runner = bindings[`RUNNER_${index}`] as Fetcher | undefined;
  const appData = bindings[`APP_DATA_${index}`] as Env["APP_DATA"] | undefined;
  if (!runner || !appData) throw new Error(`Runner ${index} is not bound to this control plane.`);
  return { index, runner, appData };
}

import { appConfig } from "../apps/app-repository";
import type { Env } from "../core/env";
import type { AppRunner, AppTarget } from "./app-runner";

/**
 * Starts a version's isolate before its environment points at it, so the
 * first visitor after a publish gets a warm app. Best effort: a version that
 * passed its smoke start is served even if warming fails (it retries on use).
 * `target.connectors` must be the version's, as stored with it.
 */
export async function prewarmVersion(env: Env, runner: AppRunner, target: Omit<AppTarget, "config">): Promise<void> {
  try {
    await runner.prewarm({ ...target, config: await appConfig(env.DB, target.appId) });
  } catch (error) {
    console.warn(
      `prewarm of ${target.appId}:${target.environment}:${target.version} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

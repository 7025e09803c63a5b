import type { Env } from "../core/env";
import type { AppRecord } from "../core/records";
import type { DeployResult } from "../core/api-shapes";
import { NotFoundError } from "../core/errors";
import type { AppRunner } from "../isolates/app-runner";
import { deploySource } from "./deploy-source";
import { loadSource } from "./version-store";

/**
 * Makes an earlier version the preview again: its source goes through the same checks as any upload (the preview
 * database is migrated to its tables; a change that drops data asks first), and since versions are named by their
 * content the preview runs that very version.
 */
export async function restoreToPreview(
  env: Env,
  runner: AppRunner,
  app: AppRecord,
  userId: string,
  version: string,
  options: { confirmDestructive: boolean },
): Promise<DeployResult> {
  const files = await loadSource(env.BUNDLES, app.id, version);
  if (!files) throw new NotFoundError(`Version ${version}`);
  return deploySource(env, runner, app, userId, files, options);
}

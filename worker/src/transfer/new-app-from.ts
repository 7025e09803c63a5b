import type { AppRecord } from "../core/records";
import { recordAudit } from "../audit/audit-log";
import { createApp, findOwnedApp, setAppConfig } from "../apps/app-repository";
import type { SourceFiles } from "../compiler";
import type { Env } from "../core/env";
import { ApiError } from "../core/errors";
import { appDataStore } from "../data";
import type { DumpLoaded } from "../data/store-types";
import type { RunnerFor } from "../isolates/app-runner-for";
import { configProblem } from "../setup/setup-values";
import { deploySource } from "../versions/deploy-source";

/** What a new app starts from: a duplicate's or an import's name, config, code and rows. */
export interface AppContents {
  name: string;
  config: Record<string, string>;
  files: SourceFiles | null;
  /** A data dump (`exportData`) loaded into the new preview once its code built; null for none. */
  data: unknown;
}

/** The new app, and what of its contents did not make it (in words), if anything. */
export interface MadeApp {
  app: AppRecord;
  problem: string | null;
  loaded: DumpLoaded | null;
}

/**
 * Makes a new app of `contents` for `userId`: its config, its code built and checked as any upload
 * (the preview), then its rows. A build or data refusal keeps the new app (as far as it got) and says
 * why, rather than failing whole: the source app or the zip is still there to try again.
 */
export async function newAppFrom(
  env: Env,
  runner: RunnerFor,
  userId: string,
  contents: AppContents,
  audit: { action: "app.duplicate" | "app.import"; detail: Record<string, unknown> },
): Promise<MadeApp> {
  const problem = configProblem(contents.config);
  if (problem) throw new ApiError(400, "bad_request", `Nothing was made: the app's config can't be used. ${problem}`);
  const made = await createApp(env.DB, userId, contents.name);
  await setAppConfig(env.DB, made.id, contents.config);
  await recordAudit(env.DB, { userId, appId: made.id, action: audit.action, detail: audit.detail });
  const reread = async () => (await findOwnedApp(env.DB, userId, made.id)) ?? made;
  if (!contents.files) return { app: made, problem: null, loaded: null };
  try {
    await deploySource(env, runner(env, made.slug), made, userId, contents.files, { confirmDestructive: false });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const problem = `"${made.name}" was made, but its code did not build again, so it has no data yet; open it to see why.`;
    return { app: await reread(), problem, loaded: null };
  }
  if (contents.data === null) return { app: await reread(), problem: null, loaded: null };
  const loaded = await appDataStore(env, made, "preview").importData(contents.data);
  if (!loaded.ok) {
    const problem = `"${made.name}" was made and its code built, but its data was not loaded: ${loaded.error.message}`;
    return { app: await reread(), problem, loaded: null };
  }
  return { app: await reread(), problem: null, loaded: loaded.value };
}

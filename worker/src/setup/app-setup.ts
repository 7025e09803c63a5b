import { appConfig, setAppConfig } from "../apps/app-repository";
import type { AppSetup, SetupItem } from "../core/api-shapes/setup";
import { ApiError, NotFoundError } from "../core/errors";
import type { Env } from "../core/env";
import type { AppRecord } from "../core/records";
import { appChanged } from "../serving/app-lookup";
import { configKeysOf, missingSetup, setupStatus } from "../versions/declared-setup";
import { findVersion } from "../versions/version-store";
import { setupValue } from "./setup-values";

/** The setup a version declares (the preview's by default: what the owner is building) against the app's config. */
export async function appSetup(env: Env, app: AppRecord, version?: string): Promise<AppSetup> {
  const items = await declaredItems(env, app, version);
  const config = await appConfig(env.DB, app.id);
  return {
    version: version ?? app.previewVersion,
    items: setupStatus(items, config),
    missing: missingSetup(items, config),
  };
}

/**
 * Saves the owner's values for declared setup items (each checked by its item's type) into the app's config, and
 * tells the runners, so the code reads them on its next request.
 */
export async function saveSetupValues(
  env: Env,
  app: AppRecord,
  values: Readonly<Record<string, string>>,
): Promise<AppSetup> {
  const items = await declaredItems(env, app);
  const byKey = new Map(items.flatMap((item) => configKeysOf(item).map((key) => [key, item] as const)));
  const config = { ...(await appConfig(env.DB, app.id)) };
  for (const [key, raw] of Object.entries(values)) {
    const item = byKey.get(key);
    if (!item)
      throw new ApiError(400, "bad_request", `The app does not ask for ${key}; set other values under Config.`);
    const value = setupValue(item, key, raw);
    if (value === "") delete config[key];
    else config[key] = value;
  }
  await setAppConfig(env.DB, app.id, config);
  await appChanged(env, app.slug);
  return appSetup(env, app);
}

/** The declared item named `key` of the preview version, or a 404 naming what the app does ask for. */
export async function declaredItem(env: Env, app: AppRecord, key: string): Promise<SetupItem> {
  const items = await declaredItems(env, app);
  const item = items.find((i) => i.key === key);
  if (!item) throw new NotFoundError(`Setup item ${key}`);
  return item;
}

async function declaredItems(env: Env, app: AppRecord, version = app.previewVersion): Promise<SetupItem[]> {
  if (!version) return [];
  const record = await findVersion(env.DB, app.id, version);
  if (!record) throw new NotFoundError(`Version ${version}`);
  return record.setup;
}

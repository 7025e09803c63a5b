import type { AppFilesPage } from "../core/api-shapes";
import type { Env, Environment } from "../core/env";
import { type PlacedApp, appDataStore } from "../data/app-data-store-stub";
import { readCurrentFile } from "./current-file";
import { deletePrefix, r2FileBucket } from "./file-bucket";
import { appFilesPrefix, checkFileName } from "./file-names";
import { FILE_QUOTA } from "./file-limits";
import { fileResponse } from "./file-response";
import { trialFilesPrefix } from "./file-scope";

/** Most files in one page of the owner's list (Data tab); the API refuses nothing larger, it answers this many. */
export const MAX_FILES_PAGE = 1000;

/**
 * One page of the owner's list of an environment's files (Data tab), read from the index in its database, not the
 * bucket: `offset` and `limit` number the pages, `total` is how many files are stored.
 */
export async function listAppFiles(
  env: Env,
  app: PlacedApp,
  environment: Environment,
  page: { offset: number; limit: number } = { offset: 0, limit: 100 },
): Promise<AppFilesPage> {
  const store = appDataStore(env, app, environment);
  const limit = Math.min(Math.max(page.limit, 1), MAX_FILES_PAGE);
  const offset = Math.max(page.offset, 0);
  const [files, usage, total] = await Promise.all([
    store.listFiles({ limit, offset }),
    store.fileUsage(),
    store.storedFileCount(),
  ]);
  return { files, usage, limits: { ...FILE_QUOTA }, offset, total };
}

/**
 * A file for its owner to download from Kiln's own host: always as an attachment, with the same inert headers as
 * on the app's host, so nothing an app stored is ever rendered in the workspace's origin. Null: no such file.
 */
export async function downloadAppFile(
  env: Env,
  app: PlacedApp,
  environment: Environment,
  name: string,
): Promise<Response | null> {
  const index = appDataStore(env, app, environment);
  const read = await readCurrentFile(r2FileBucket(env.APP_FILES), index, checkFileName(name));
  if (!read.file) return null;
  const response = fileResponse(name, read.file, { "cache-control": "private, no-store" });
  response.headers.set(
    "content-disposition",
    response.headers.get("content-disposition")!.replace(/^inline/, "attachment"),
  );
  return response;
}

/** Deletes one file for its owner; answers whether it was there. */
export async function deleteAppFile(
  env: Env,
  app: PlacedApp,
  environment: Environment,
  name: string,
): Promise<boolean> {
  const objectKey = await appDataStore(env, app, environment).forgetFile(checkFileName(name));
  if (objectKey !== null) await r2FileBucket(env.APP_FILES).delete([objectKey]);
  return objectKey !== null;
}

/** Deletes every file of an app, both environments (the app is being deleted; its databases go with their index). */
export function deleteAllAppFiles(env: Env, appId: string): Promise<void> {
  return deletePrefix(env.APP_FILES, appFilesPrefix(appId));
}

/** Deletes whatever a build's trial stored (its smoke start and checks), once its scratch database is dropped too. */
export function deleteTrialFiles(env: Env, appId: string, scratchName: string): Promise<void> {
  return deletePrefix(env.APP_FILES, trialFilesPrefix(appId, scratchName));
}

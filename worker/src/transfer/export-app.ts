import type { AppRecord } from "../core/records";
import { appConfig } from "../apps/app-repository";
import type { Env } from "../core/env";
import { ApiError, NotFoundError } from "../core/errors";
import type { Environment } from "../core/api-shapes";
import { appDataStore } from "../data";
import { dataValue } from "../data/data-results";
import { findVersion, loadSource } from "../versions/version-store";
import { ARCHIVE_FORMAT, packArchive } from "./app-archive";
import { servedVersion } from "../serving/served-app";

/** An export ready to download. */
export interface AppExport {
  fileName: string;
  bytes: Uint8Array;
}

/**
 * One environment of an app as a zip: the code that environment runs, its tables, its config and
 * every row of its database, so importing it elsewhere gives the same app with the same data.
 */
export async function exportApp(env: Env, app: AppRecord, environment: Environment): Promise<AppExport> {
  const version = servedVersion(app, environment);
  if (!version)
    throw new ApiError(
      409,
      "conflict",
      environment === "live"
        ? "This app has not been published, so there is no live app to export. Export the preview instead."
        : "This app has no code yet, so there is nothing to export.",
    );
  const [record, files, config, dump] = await Promise.all([
    findVersion(env.DB, app.id, version),
    loadSource(env.BUNDLES, app.id, version),
    appConfig(env.DB, app.id),
    appDataStore(env, app, environment).exportData(),
  ]);
  if (!record || !files) throw new NotFoundError(`Version ${version}`);
  const bytes = packArchive({
    manifest: {
      format: ARCHIVE_FORMAT,
      name: app.name,
      exportedAt: new Date().toISOString(),
      environment,
      version: { id: version, number: record.number, summary: record.summary },
      config,
    },
    files,
    tables: record.tables,
    data: dataValue(dump),
  });
  return { fileName: `${app.slug}-${environment}-v${record.number}.zip`, bytes };
}

import type { AppRecord } from "../core/records";
import type { Environment } from "../core/env";
import { newId, nowIso } from "../core/ids";
import { slugWithSuffix, slugify } from "./slug";

const APP_COLUMNS =
  "id, owner_id AS ownerId, name, slug, preview_version AS previewVersion, live_version AS liveVersion, created_at AS createdAt";

/** Creates an app with a unique slug derived from its name. */
export async function createApp(db: D1Database, ownerId: string, name: string): Promise<AppRecord> {
  let slug = slugify(name);
  for (let attempt = 0; attempt < 6; attempt++) {
    const app: AppRecord = {
      id: newId("app"),
      ownerId,
      name,
      slug,
      previewVersion: null,
      liveVersion: null,
      createdAt: nowIso(),
    };
    const result = await db
      .prepare(
        "INSERT INTO apps (id, owner_id, name, slug, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(slug) DO NOTHING",
      )
      .bind(app.id, ownerId, name, slug, app.createdAt)
      .run();
    if (result.meta.changes > 0) return app;
    slug = slugWithSuffix(slugify(name));
  }
  throw new Error("could not find a free slug");
}

/** The app with this id if `ownerId` owns it; null otherwise, so others cannot probe ids. */
export async function findOwnedApp(db: D1Database, ownerId: string, appId: string): Promise<AppRecord | null> {
  return db
    .prepare(`SELECT ${APP_COLUMNS} FROM apps WHERE id = ? AND owner_id = ?`)
    .bind(appId, ownerId)
    .first<AppRecord>();
}

/** The app served at a slug, or null. */
export async function findAppBySlug(db: D1Database, slug: string): Promise<AppRecord | null> {
  return db.prepare(`SELECT ${APP_COLUMNS} FROM apps WHERE slug = ?`).bind(slug).first<AppRecord>();
}

/** The slug of an app, or null when it no longer exists. */
export async function findAppSlug(db: D1Database, appId: string): Promise<string | null> {
  return (await db.prepare("SELECT slug FROM apps WHERE id = ?").bind(appId).first<{ slug: string }>())?.slug ?? null;
}

/** The non-secret config values an app's code receives as `env.CONFIG`. */
export async function appConfig(db: D1Database, appId: string): Promise<Record<string, string>> {
  const row = await db
    .prepare("SELECT config_json AS config FROM apps WHERE id = ?")
    .bind(appId)
    .first<{ config: string }>();
  return JSON.parse(row?.config ?? "{}") as Record<string, string>;
}

/** Replaces an app's config values (the caller tells the runners: `appChanged`). */
export async function setAppConfig(db: D1Database, appId: string, values: Record<string, string>): Promise<void> {
  await db.prepare("UPDATE apps SET config_json = ? WHERE id = ?").bind(JSON.stringify(values), appId).run();
}

/** Gives the app a new name (its slug, and so its addresses, stay). */
export async function renameApp(db: D1Database, appId: string, name: string): Promise<void> {
  await db.prepare("UPDATE apps SET name = ? WHERE id = ?").bind(name, appId).run();
}

/** The owner's apps, newest first. */
export async function listOwnedApps(db: D1Database, ownerId: string): Promise<AppRecord[]> {
  const { results } = await db
    .prepare(`SELECT ${APP_COLUMNS} FROM apps WHERE owner_id = ? ORDER BY created_at DESC, id`)
    .bind(ownerId)
    .all<AppRecord>();
  return results;
}

/** Points an environment of an app at a version. */
export async function setDeployedVersion(
  db: D1Database,
  appId: string,
  environment: Environment,
  version: string,
): Promise<void> {
  const column = environment === "preview" ? "preview_version" : "live_version";
  await db.prepare(`UPDATE apps SET ${column} = ? WHERE id = ?`).bind(version, appId).run();
}

/** Removes the app's platform records (versions, deployments and logs go with it). */
export async function deleteAppRecords(db: D1Database, appId: string): Promise<void> {
  await db.batch([
    db.prepare("DELETE FROM app_logs WHERE app_id = ?").bind(appId),
    db.prepare("DELETE FROM deployments WHERE app_id = ?").bind(appId),
    db.prepare("DELETE FROM versions WHERE app_id = ?").bind(appId),
    db.prepare("DELETE FROM apps WHERE id = ?").bind(appId),
  ]);
}

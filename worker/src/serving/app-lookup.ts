import type { ConnectorId } from "../../../connectors/types";
import type { Environment } from "../env";
import { parseConnectorList } from "../versions/version-connectors";

/** What the serving path needs to know about an app host, cached in memory. */
export interface ServedApp {
  appId: string;
  slug: string;
  name: string;
  previewVersion: string | null;
  liveVersion: string | null;
  config: Record<string, string>;
  /** Versions paused after bringing the runner down; visitors get a 503 page. */
  quarantined: string[];
  /** Connectors the preview and live versions import (empty when an environment has no version). */
  previewConnectors: ConnectorId[];
  liveConnectors: ConnectorId[];
}

// Entries expire so that other isolates (on Cloudflare) see a publish within
// this long; the isolate that published invalidates its own entry at once.
const TTL_MS = 2_000;
const MAX_ENTRIES = 5_000;

const cache = new Map<string, { app: ServedApp | null; expires: number }>();

/** The app served at `slug` (null when none), from memory when fresh. */
export async function lookupApp(db: D1Database, slug: string): Promise<ServedApp | null> {
  const now = Date.now();
  const hit = cache.get(slug);
  if (hit && hit.expires > now) return hit.app;
  const row = await db
    .prepare(
      `SELECT id AS appId, slug, name, preview_version AS previewVersion, live_version AS liveVersion, config_json AS config,
        (SELECT json_group_array(version) FROM quarantines q WHERE q.app_id = apps.id) AS quarantined,
        (SELECT connectors_json FROM versions v WHERE v.app_id = apps.id AND v.version = apps.preview_version) AS previewConnectors,
        (SELECT connectors_json FROM versions v WHERE v.app_id = apps.id AND v.version = apps.live_version) AS liveConnectors
       FROM apps WHERE slug = ?`,
    )
    .bind(slug)
    .first<
      Omit<ServedApp, "config" | "quarantined" | "previewConnectors" | "liveConnectors"> & {
        config: string;
        quarantined: string;
        previewConnectors: string | null;
        liveConnectors: string | null;
      }
    >();
  const app = row
    ? {
        ...row,
        config: JSON.parse(row.config) as Record<string, string>,
        quarantined: JSON.parse(row.quarantined) as string[],
        previewConnectors: parseConnectorList(row.previewConnectors ?? "[]"),
        liveConnectors: parseConnectorList(row.liveConnectors ?? "[]"),
      }
    : null;
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(slug, { app, expires: now + TTL_MS });
  return app;
}

/** Drops the cached entry of a slug, so the next request sees a publish or deletion. */
export function invalidateApp(slug: string): void {
  cache.delete(slug);
}

/** The version an environment of an app serves, or null before its first deployment there. */
export function servedVersion(app: ServedApp, environment: Environment): string | null {
  return environment === "live" ? app.liveVersion : app.previewVersion;
}

/** The connectors of the version an environment serves. */
export function servedConnectors(app: ServedApp, environment: Environment): ConnectorId[] {
  return environment === "live" ? app.liveConnectors : app.previewConnectors;
}

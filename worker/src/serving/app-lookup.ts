import type { Env } from "../core/env";
import { placementOf } from "../placement/runner-placement";
import { parseConnectorList } from "../compiler/connector-list";
import type { ServedApp } from "./served-app";
import { accessRowsSql, parseAccess } from "./access-rule";

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
  const app = await readServedApp(db, slug);
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(slug, { app, expires: now + TTL_MS });
  return app;
}

/** The app served at `slug` as the database has it now (null when none): the runner's routing table rows. */
export async function readServedApp(db: D1Database, slug: string): Promise<ServedApp | null> {
  const row = await db
    .prepare(
      `SELECT id AS appId, slug, name, preview_version AS previewVersion, live_version AS liveVersion, config_json AS config,
        (SELECT json_group_array(version) FROM quarantines q WHERE q.app_id = apps.id) AS quarantined,
        (SELECT connectors_json FROM versions v WHERE v.app_id = apps.id AND v.version = apps.preview_version) AS previewConnectors,
        (SELECT connectors_json FROM versions v WHERE v.app_id = apps.id AND v.version = apps.live_version) AS liveConnectors,
        (SELECT json_array_length(tools_json) > 0 FROM versions v WHERE v.app_id = apps.id AND v.version = apps.preview_version) AS previewTools,
        (SELECT json_array_length(tools_json) > 0 FROM versions v WHERE v.app_id = apps.id AND v.version = apps.live_version) AS liveTools,
        ${accessRowsSql("apps.id")} AS access
       FROM apps WHERE slug = ?`,
    )
    .bind(slug)
    .first<
      Omit<
        ServedApp,
        "config" | "quarantined" | "previewConnectors" | "liveConnectors" | "previewTools" | "liveTools" | "access"
      > & {
        config: string;
        access: string;
        quarantined: string;
        previewConnectors: string | null;
        liveConnectors: string | null;
        previewTools: number | null;
        liveTools: number | null;
      }
    >();
  if (!row) return null;
  return {
    ...row,
    config: JSON.parse(row.config) as Record<string, string>,
    quarantined: JSON.parse(row.quarantined) as string[],
    previewConnectors: parseConnectorList(row.previewConnectors ?? "[]"),
    liveConnectors: parseConnectorList(row.liveConnectors ?? "[]"),
    previewTools: row.previewTools === 1,
    liveTools: row.liveTools === 1,
    access: parseAccess(row.access),
  };
}

/** The runner Worker's routing-table push (runner/index.ts `route`). */
export interface RoutingEntrypoint extends Rpc.WorkerEntrypointBranded {
  route(slug: string, app: ServedApp | null, revision: number): void;
}

/**
 * Tells the serving path that what `slug` serves changed (publish, rollback, pause, config, delete): this isolate
 * forgets its entry, and the runner gets the new row pushed, so the next visitor request needs no call back here.
 */
export async function appChanged(env: Env, slug: string): Promise<void> {
  cache.delete(slug);
  const binding = placementOf(env, slug).runner;
  if (!binding) return;
  // Typed by the one method called here; control-plane/bindings-check.ts proves the runner Worker has it.
  const runner = binding as Service<RoutingEntrypoint>;
  // Read after the write it follows, so a later push always carries the newer row.
  const revision = Date.now();
  const app = await readServedApp(env.DB, slug);
  // A runner that is restarting has no table to correct: it reads every row afresh.
  await runner.route(slug, app, revision).catch(() => {});
}

import type { AppRecord } from "../core/records";
import type { PublishPlan } from "../core/api-shapes/versions";
import { appConfig } from "../apps/app-repository";
import type { Env } from "../core/env";
import { NotFoundError } from "../core/errors";
import { appDataStore } from "../data";
import { dataValue } from "../data/data-results";
import type { MigrationPlan } from "../data/schema-change";
import { versionsEverLive } from "./deployments";
import { missingSetup } from "./declared-setup";
import { versionPermissions } from "./version-permissions";
import { findVersion, type VersionRecord } from "./version-store";

/**
 * What publishing `version` would change for the live app — its database's migration, the hosts
 * it may call, its automations, what Setup still lacks — read without changing anything, so the
 * owner confirms once, knowing. The code's line diff is the Versions tab's own (it has both sources).
 */
export async function publishPlan(env: Env, app: AppRecord, version: string): Promise<PublishPlan> {
  const record = await findVersion(env.DB, app.id, version);
  if (!record) throw new NotFoundError(`Version ${version}`);
  const live = app.liveVersion ? await findVersion(env.DB, app.id, app.liveVersion) : null;
  const liveStore = appDataStore(env, app, "live");
  const [everLive, config, migration, liveData, previewData] = await Promise.all([
    versionsEverLive(env.DB, app.id),
    appConfig(env.DB, app.id),
    liveStore.planSchema(record.tables),
    liveStore.describe(),
    appDataStore(env, app, "preview").describe(),
  ]);
  const rows = { preview: rowTotal(dataValue(previewData)), live: rowTotal(dataValue(liveData)) };
  return {
    version,
    number: record.number,
    live: live ? { version: live.version, number: live.number } : null,
    firstPublish: everLive.size === 0,
    schema: schemaWords(dataValue(migration)),
    hosts: difference(hostsOf(live), hostsOf(record)),
    automations: difference(automationsOf(live), automationsOf(record)),
    setupMissing: missingSetup(record.setup, config),
    rows,
    canCopyPreviewData: rows.live === 0 && rows.preview > 0,
  };
}

/** Rows in all of a database's tables (its `describe()`). */
export function rowTotal(described: { tables: { rowCount: number }[] }): number {
  return described.tables.reduce((sum, table) => sum + table.rowCount, 0);
}

function schemaWords(plan: MigrationPlan): PublishPlan["schema"] {
  const words = (changes: MigrationPlan["additive"]) => changes.map((change) => change.description);
  return { additive: words(plan.additive), destructive: words(plan.destructive), blocked: words(plan.blocked) };
}

const hostsOf = (record: VersionRecord | null) => (record ? versionPermissions(record.connectors).hosts : []);
const automationsOf = (record: VersionRecord | null) => (record ? record.automations.map((a) => a.name) : []);

function difference(before: readonly string[], after: readonly string[]): { added: string[]; removed: string[] } {
  return {
    added: after.filter((item) => !before.includes(item)).sort(),
    removed: before.filter((item) => !after.includes(item)).sort(),
  };
}

import type { ConnectorId } from "../../../connectors/types";
import type { AppBundle, SourceFiles } from "../compiler";
import { nowIso, sha256Hex } from "../core/ids";
import { bundleKey } from "../isolates/bundle-store";
import { parseConnectorList } from "../compiler/connector-list";
import { parseStoredAutomations } from "../automations/declarations";
import type { AutomationDeclaration } from "../core/api-shapes/automations";
import type { AppAccess } from "../core/api-shapes/access";
import type { SetupItem } from "../core/api-shapes/setup";
import type { DeclaredAccess } from "./declared-access";
import type { VersionSummary } from "../core/api-shapes/versions";

/** The columns every version query reads, named as VersionSummary's fields (JSON ones still as text). */
const SUMMARY_COLUMNS =
  "version, number, created_at AS createdAt, size_bytes AS sizeBytes, warnings_json AS warnings, connectors_json AS connectors, automations_json AS automations, " +
  "(SELECT summary FROM chat_turns t WHERE t.app_id = versions.app_id AND t.version = versions.version AND t.status = 'built' ORDER BY t.created_at DESC LIMIT 1) AS summary";
type SummaryRow = Omit<VersionSummary, "warnings" | "connectors" | "automations"> & {
  warnings: string;
  connectors: string;
  automations: string;
};

function toSummary(row: SummaryRow): VersionSummary {
  return {
    ...row,
    warnings: JSON.parse(row.warnings) as string[],
    connectors: parseConnectorList(row.connectors),
    automations: parseStoredAutomations(row.automations),
  };
}

/** A stored version with the schema it declared (normalised, as the data store applied it) and its visitors' rules. */
export interface VersionRecord extends VersionSummary {
  tables: unknown;
  visitors: DeclaredAccess;
  /** What the code asks its owner for (`export const setup`). */
  setup: SetupItem[];
}

/** Names a version by the hash of its source, so the same source is the same version. */
export async function versionHash(files: SourceFiles): Promise<string> {
  const canonical = JSON.stringify(
    Object.keys(files)
      .sort()
      .map((path) => [path, files[path]]),
  );
  return (await sha256Hex(canonical)).slice(0, 16);
}

const sourceKey = (appId: string, version: string) => `apps/${appId}/sources/${version}.json`;

/** Stores a version's bundle and source in R2 and its record in D1; storing it again is a no-op. */
export async function saveVersion(
  env: { DB: D1Database; BUNDLES: R2Bucket },
  input: {
    appId: string;
    version: string;
    files: SourceFiles;
    bundle: AppBundle;
    tables: unknown;
    warnings: string[];
    connectors: readonly ConnectorId[];
    automations: readonly AutomationDeclaration[];
    visitors: DeclaredAccess;
    setup: readonly SetupItem[];
    /** Names of the tools it exports: whether `/mcp` of its host is Kiln's (serving/app-lookup.ts). */
    tools: readonly string[];
    userId: string;
  },
): Promise<void> {
  const bundleJson = JSON.stringify(input.bundle);
  await Promise.all([
    env.BUNDLES.put(bundleKey(input.appId, input.version), bundleJson),
    env.BUNDLES.put(sourceKey(input.appId, input.version), JSON.stringify(input.files)),
  ]);
  await env.DB.prepare(
    `INSERT INTO versions (app_id, version, number, tables_json, warnings_json, connectors_json, size_bytes, created_by, created_at,
       automations_json, roles_json, access_json, setup_json, tools_json)
     VALUES (?1, ?2, (SELECT COALESCE(MAX(number), 0) + 1 FROM versions WHERE app_id = ?1), ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
     ON CONFLICT(app_id, version) DO NOTHING`,
  )
    .bind(
      input.appId,
      input.version,
      JSON.stringify(input.tables),
      JSON.stringify(input.warnings),
      JSON.stringify([...input.connectors].sort()),
      bundleJson.length,
      input.userId,
      nowIso(),
      JSON.stringify(input.automations),
      JSON.stringify(input.visitors.roles),
      input.visitors.access ? JSON.stringify(input.visitors.access) : null,
      JSON.stringify(input.setup),
      JSON.stringify(input.tools),
    )
    .run();
}

/** One version of an app, or null. */
export async function findVersion(db: D1Database, appId: string, version: string): Promise<VersionRecord | null> {
  const row = await db
    .prepare(
      `SELECT ${SUMMARY_COLUMNS}, tables_json AS tables, roles_json AS roles, access_json AS access, setup_json AS setup
       FROM versions WHERE app_id = ? AND version = ?`,
    )
    .bind(appId, version)
    .first<SummaryRow & { tables: string; roles: string; access: string | null; setup: string }>();
  if (!row) return null;
  const { tables, roles, access, setup, ...summary } = row;
  return {
    ...toSummary(summary),
    tables: JSON.parse(tables) as unknown,
    visitors: { roles: JSON.parse(roles) as string[], access: access ? (JSON.parse(access) as AppAccess) : null },
    setup: JSON.parse(setup) as SetupItem[],
  };
}

/** Every version of an app, newest first. */
export async function listVersions(db: D1Database, appId: string): Promise<VersionSummary[]> {
  const { results } = await db
    .prepare(`SELECT ${SUMMARY_COLUMNS} FROM versions WHERE app_id = ? ORDER BY number DESC`)
    .bind(appId)
    .all<SummaryRow>();
  return results.map(toSummary);
}

/** The connectors of each of `versions` of an app (missing versions are absent from the map). */
export async function connectorsOfVersions(
  db: D1Database,
  appId: string,
  versions: readonly string[],
): Promise<Map<string, ConnectorId[]>> {
  const wanted = [...new Set(versions)];
  if (wanted.length === 0) return new Map();
  const { results } = await db
    .prepare(
      `SELECT version, connectors_json AS connectors FROM versions WHERE app_id = ? AND version IN (${wanted.map(() => "?").join(", ")})`,
    )
    .bind(appId, ...wanted)
    .all<{ version: string; connectors: string }>();
  return new Map(results.map((row) => [row.version, parseConnectorList(row.connectors)]));
}

/** The source files a version was built from, or null. */
export async function loadSource(bucket: R2Bucket, appId: string, version: string): Promise<SourceFiles | null> {
  const object = await bucket.get(sourceKey(appId, version));
  return object ? ((await object.json()) as SourceFiles) : null;
}

/** Deletes every R2 object of an app. */
export async function deleteAppObjects(bucket: R2Bucket, appId: string): Promise<void> {
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix: `apps/${appId}/`, cursor });
    if (page.objects.length > 0) await bucket.delete(page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
}

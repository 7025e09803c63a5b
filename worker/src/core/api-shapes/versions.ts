// Source uploads, builds, versions, publish and rollback under `/api/apps/:id`.
import type { AutomationDeclaration } from "./automations";
import type { ConnectorId } from "./connections";

/** One actionable problem in uploaded code, in editor coordinates (1-based). */
export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  message: string;
}

/** The steps from source to preview, in the order they run (versions/deploy-source.ts). */
export const DEPLOY_STAGES = ["files", "type-check", "bundle", "start", "smoke-test", "checks", "migration"] as const;

/** One step from source to preview; a failed build names the one that refused the code. */
export type DeployStage = (typeof DEPLOY_STAGES)[number];

/** A version as stored and listed to its owner. */
export interface VersionSummary {
  version: string;
  number: number;
  createdAt: string;
  sizeBytes: number;
  warnings: string[];
  /** Services its code imports (`kiln/<id>`), sorted; the owner sees them when publishing. */
  connectors: ConnectorId[];
  /** The chat's one-line summary of what changed, when a chat turn built this version. */
  summary: string | null;
  /** The automations its code exports (settings only). */
  automations: AutomationDeclaration[];
}

/** One service a version may call and the exact hosts Kiln's egress proxy lets it reach for it. */
export interface ConnectorPermission {
  id: ConnectorId;
  label: string;
  hosts: string[];
}

/** What a version may reach outside Kiln: nothing unless its code imports a connector. */
export interface VersionPermissions {
  connectors: ConnectorPermission[];
  /** Every host of those connectors, sorted, without repeats. */
  hosts: string[];
}

/** A version as `GET /api/apps/:id/versions` → `{ versions }` lists it, with where it serves and its permissions. */
export interface ListedVersion extends VersionSummary {
  preview: boolean;
  live: boolean;
  /** It has served the live app before, so it can be rolled back to. */
  wasLive: boolean;
  permissions: VersionPermissions;
}

/** `GET /api/apps/:id/source[?version=]`: one version's files by path. */
export interface SourceSnapshot {
  version: string;
  files: Record<string, string>;
}

/** `PUT /api/apps/:id/source`: what an accepted upload answers. */
export interface DeployResult {
  version: string;
  number: number | null;
  previewUrl: string;
  warnings: string[];
  /** Services the version's code imports (`kiln/<id>`), sorted. */
  connectors: ConnectorId[];
}

/** `POST /api/apps/:id/publish` and `/rollback`: the now-live version and the services it uses. */
export interface PublishResult {
  version: string;
  liveUrl: string;
  connectors: ConnectorId[];
  /** Rows copied from the preview into the empty live database (`liveData: "copy"`), by table. */
  copied?: CopiedRows[];
}

/** One table copied on the first publish; `leftOut`: a table or `table.column` the live version does not declare. */
export interface CopiedRows {
  table: string;
  rows: number;
  leftOut?: boolean;
}

/** What the live app gains and loses when a version is published; shown before the owner confirms. */
export interface PublishPlan {
  version: string;
  number: number;
  /** The version live now, or null before the first publish. */
  live: { version: string; number: number } | null;
  /** Nothing has ever been live: the live database starts empty unless the preview's rows are copied. */
  firstPublish: boolean;
  /** The live database's schema change, each step in words; `destructive` ones keep a backup. */
  schema: { additive: string[]; destructive: string[]; blocked: string[] };
  /** Hosts the live app may call after this publish that it may not now, and the other way round. */
  hosts: { added: string[]; removed: string[] };
  automations: { added: string[]; removed: string[] };
  /** What Setup still needs before this version may go live (publishing is refused until then). */
  setupMissing: string[];
  /** Rows in each environment's database now. */
  rows: { preview: number; live: number };
  /** Whether `liveData: "copy"` is possible: the live database is empty and the preview's is not. */
  canCopyPreviewData: boolean;
}

/** One change a schema update would make that loses data (a 409 `destructive_change` body's `changes`). */
export interface DestructiveChange {
  description: string;
}

/** How an app's most recent build ended: deployed, refused by a step, or waiting for a data-loss confirmation. */
export type LastBuildStatus = "ok" | "failed" | "needs_confirmation";

/** `GET /api/apps/:id/builds/last` → `{ build }` (null before the first): kept for every hand save and chat turn. */
export interface LastBuild {
  status: LastBuildStatus;
  /** The step that refused the code; null when it deployed. */
  stage: DeployStage | null;
  message: string | null;
  diagnostics: Diagnostic[];
  /** The version the build made; null unless it deployed. */
  version: string | null;
  /** What preview serves after this build: the new version, or the one still serving. */
  previewVersion: string | null;
  builtAt: string;
}

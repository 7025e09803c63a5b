// `/api/apps` and `/api/apps/:id`: apps, their health and paused versions, their config.
import type { Environment } from "./common";
import type { AppProblems } from "./alerts";
import type { ConnectorId } from "./connections";

/** An app as the API shows it (`POST /api/apps` answers one; the `app` event of a streamed create carries one). */
export interface App {
  id: string;
  name: string;
  slug: string;
  previewUrl: string;
  liveUrl: string;
  previewVersion: string | null;
  liveVersion: string | null;
  createdAt: string;
}

/** What the app list shows next to each app: is anything paused or failing. */
export interface AppHealth {
  /** Versions Kiln paused after they brought the runner down. */
  pausedVersions: number;
  /** Live automations whose last slots failed in a row. */
  failingAutomations: number;
  /** Live automations (scheduled or webhook). */
  automations: number;
  /** The numbers of the versions live and preview serve ("Live v3"); null where nothing is deployed. */
  liveNumber: number | null;
  previewNumber: number | null;
}

/** An app in `GET /api/apps` → `{ apps }`. */
export interface ListedApp extends App {
  health: AppHealth;
  /** Failing automations, paused versions and connections to reconnect, each a badge linking to its fix. */
  problems: AppProblems;
}

/** Why Kiln stopped a version: it ran past its time or memory budget, or crashed the runner. */
export type IncidentReason = "time_budget" | "memory_budget" | "crash";

/** A paused version and why, in words for the owner. */
export interface Quarantine {
  version: string;
  reason: IncidentReason;
  message: string;
  since: string;
}

/** `GET /api/apps/:id`: the app with the services its deployed code uses and its paused versions. */
export interface AppDetail extends App {
  /** Services the preview version uses (`kiln/<id>` imports); null: nothing deployed there. */
  previewConnectors: ConnectorId[] | null;
  liveConnectors: ConnectorId[] | null;
  /** Versions Kiln paused after they brought the app runner down. */
  quarantines: Quarantine[];
}

/** One time a version brought the runner down (`GET /api/apps/:id/incidents` → `{ incidents, quarantines }`). */
export interface Incident {
  id: number;
  environment: Environment;
  version: string;
  requestId: string | null;
  reason: IncidentReason;
  message: string;
  createdAt: string;
}

/** `GET /api/apps/:id/incidents`. */
export interface IncidentsOverview {
  incidents: Incident[];
  quarantines: Quarantine[];
}

/** `GET` and `PUT /api/apps/:id/config`: the app's config values by name. */
export interface AppConfig {
  values: Record<string, string>;
}

/** `POST /api/apps/:id/duplicate` and `POST /api/apps/import`: the new app and the rows its preview got. */
export interface AppTransfer extends App {
  rows: { name: string; rows: number }[];
  /** Tables and `table.column`s of the copied data that the new app's tables do not declare (left out). */
  skipped: string[];
  /** Why a duplicate came without its rows (too many to copy in one go). */
  dataNotCopied?: string;
}

// Shapes of the platform API's JSON (see worker/src/api). Types only: safe to
// import from components and from server code alike.

export type Environment = "preview" | "live";

export interface User {
  id: string;
  email: string;
}

export interface App {
  id: string;
  name: string;
  slug: string;
  previewUrl: string | null;
  liveUrl: string | null;
  previewVersion: string | null;
  liveVersion: string | null;
  createdAt: string;
  /** Services the preview and live versions use (`kiln/<id>` imports); null: nothing deployed there (only on the single-app view). */
  previewConnectors?: string[] | null;
  liveConnectors?: string[] | null;
  /** Versions Kiln paused after they brought the app runner down (only on the single-app view). */
  quarantines?: Quarantine[];
}

/** A paused version and why, in words for the owner. */
export interface Quarantine {
  version: string;
  reason: "time_budget" | "memory_budget" | "crash";
  message: string;
  since: string;
}

export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  message: string;
}

export interface Version {
  version: string;
  number: number;
  createdAt: string;
  preview: boolean;
  live: boolean;
  /** Services its code uses: the connectors it imports (`kiln/stripe` → "stripe"). */
  connectors: string[];
  /** What changed, in one line, when a chat turn built it. */
  summary?: string | null;
}

export interface SourceSnapshot {
  version: string;
  files: Record<string, string>;
}

export interface SaveResult {
  version: string;
  previewUrl: string | null;
  /** Strings or diagnostic-like objects; the UI shows them as text. */
  warnings?: unknown[];
}

export interface PublishResult {
  version: string;
  liveUrl: string | null;
  /** Services the now-live version uses. */
  connectors: string[];
}

export interface DestructiveChange {
  description: string;
}

export type LogLevel = "debug" | "info" | "log" | "warn" | "error";

export interface LogEntry {
  id: string | number;
  timestamp: string | number;
  level: LogLevel | string;
  message: string;
  requestId: string | null;
  environment: Environment;
  version: string | null;
}

export interface Column {
  name: string;
  type: string;
  optional: boolean;
}

export interface Table {
  name: string;
  rowCount: number;
  columns: Column[];
}

export interface DataOverview {
  environment: Environment;
  tables: Table[];
}

export interface RowsPage {
  rows: Array<Record<string, unknown>>;
  total: number;
  limit: number;
  offset: number;
}

/** The services an app owner can connect (the API's connector ids). */
export type ConnectorId = "stripe" | "airtable" | "google";

/** `needs_reconnect`: the service stopped accepting the stored credential; `statusMessage` says what to do. */
export type ConnectionStatus = "connected" | "needs_reconnect";

/** One of the owner's connections, as `GET /api/connections` shows it: never a secret. */
export interface Connection {
  id: string;
  connector: ConnectorId;
  label: string;
  kind: "api_key" | "oauth2";
  status: ConnectionStatus;
  statusMessage: string | null;
  /** Backed by Kiln's simulated service (demo mode), not a real account. */
  demo: boolean;
  /** The key's last 4 characters (Stripe, Airtable); null for Google. */
  last4: string | null;
  /** The Google account's email; null for key-based services. */
  account: string | null;
  scopes: string[] | null;
  accessTokenExpiresAt: string | null;
  lastCheckedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A service this Kiln offers, and whether it (or a demo of it) can be connected right now. */
export interface ConnectorOption {
  id: ConnectorId;
  label: string;
  kind: "api_key" | "oauth2";
  /** False when this Kiln is not set up for it (Google without an OAuth client). */
  available: boolean;
  demoAvailable: boolean;
}

/** `GET /api/connections`. */
export interface ConnectionsOverview {
  connections: Connection[];
  connectors: ConnectorOption[];
}

/** What testing a connection showed, in the API's words. */
export interface ConnectionTestResult {
  ok: boolean;
  message: string;
}

// ── Data and Logs tabs ───────────────────────────────────────────────────────

/** Column types an app can declare (`tables` in the app's code). */
export type ColumnType = "text" | "integer" | "number" | "boolean" | "json" | "datetime";

/** A column as `GET /api/apps/:id/data` describes it, with the default the app declared. */
export interface ColumnDetail extends Column {
  /** Filled in when an insert leaves the column out; null: no default. */
  default?: string | number | boolean | null;
}

/** Direction of a sorted column in the data browser (and the API's `order`). */
export type SortOrder = "asc" | "desc";

/** The Logs tab's level filter: "" all levels, else that level and anything more severe (the API's `minLevel`). */
export type LogLevelFilter = "" | "info" | "warn" | "error";

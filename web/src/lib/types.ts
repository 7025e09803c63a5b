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

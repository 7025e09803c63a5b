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
  /** Paused versions and failing automations (only on the app list). */
  health?: AppHealth;
}

/** What the app list shows next to an app. */
export interface AppHealth {
  pausedVersions: number;
  failingAutomations: number;
  automations: number;
  liveNumber: number | null;
  previewNumber: number | null;
}

/** A starter app in the gallery (`GET /api/templates`). */
export interface Template {
  id: string;
  title: string;
  description: string;
  connectors: string[];
  tables: string[];
  defaultName: string;
  /** Path of its screenshot, served by the web UI. */
  preview: string;
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

// ---------------------------------------------------------------------------
// Automations and their runs (`/api/apps/:id/automations`, `/runs`, `/api/runs/:id`).

/** Where a run is; `retrying` waits for its next attempt, `skipped` never started. */
export type RunStatus = "queued" | "running" | "retrying" | "succeeded" | "failed" | "skipped";

/** What started a run. */
export type RunTrigger = "cron" | "webhook" | "manual";

/** A live automation: its schedule in words, next fire times, webhook URL and health. */
export interface AutomationView {
  name: string;
  version: string;
  cron: string | null;
  timezone: string;
  /** The cron in plain English ("Every weekday at 09:00 (Europe/Berlin)"); null without a schedule. */
  schedule: string | null;
  missed: "skip" | "run_once";
  attempts: number;
  /** "failing" after several slots in a row failed; "inactive" when the live version no longer declares it. */
  status: "ok" | "failing" | "inactive";
  consecutiveFailures: number;
  lastError: string | null;
  webhookUrl: string | null;
  nextFireTimes: string[];
}

/** An automation the preview version declares: when it would fire once published. */
export interface AutomationDeclarationView {
  name: string;
  cron: string | null;
  timezone: string;
  schedule: string | null;
  webhook: boolean;
  missed: "skip" | "run_once";
  attempts: number;
  nextFireTimes: string[];
}

/** `GET /api/apps/:id/automations`. */
export interface AutomationsOverview {
  automations: AutomationView[];
  preview: AutomationDeclarationView[];
}

/** One run of an automation (a cron slot, webhook delivery or manual start). */
export interface Run {
  id: string;
  appId: string;
  environment: Environment;
  automation: string;
  trigger: RunTrigger;
  scheduledAt: string | null;
  status: RunStatus;
  attempt: number;
  maxAttempts: number;
  nextAttemptAt: string | null;
  version: string | null;
  input: unknown;
  output: unknown;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
}

/** One attempt of a run; its request id ties it to the app's logs and outbound calls. */
export interface RunAttempt {
  attempt: number;
  requestId: string;
  version: string;
  status: "running" | "succeeded" | "failed";
  error: string | null;
  startedAt: string;
  endedAt: string | null;
}

/** An audited outbound call an attempt made (no credentials, no header or query values). */
export interface OutboundCall {
  id: number;
  connector: string | null;
  method: string;
  host: string;
  path: string;
  outcome: "sent" | "blocked" | "not_connected" | "rate_limited" | "failed";
  status: number | null;
  durationMs: number;
  bytes: number;
  createdAt: string;
}

/** `GET /api/runs/:id`: the run with each attempt's log lines and outbound calls, oldest first. */
export interface RunDetail {
  run: Run;
  attempts: Array<RunAttempt & { logs: LogEntry[]; egress: OutboundCall[] }>;
}

// ---- Code tab (apps/[id]/code): the outcome of an app's most recent build ----

/** How the last build ended: deployed, refused by a step, or waiting for a data-loss confirmation. */
export type LastBuildStatus = "ok" | "failed" | "needs_confirmation";

/** `GET /api/apps/:id/builds/last` → `{ build }`: kept for every hand save and chat turn. */
export interface LastBuild {
  status: LastBuildStatus;
  /** The step that refused the code ("type-check", "bundle", "start", …); null when it deployed. */
  stage: string | null;
  message: string | null;
  diagnostics: Diagnostic[];
  /** The version the build made; null unless it deployed. */
  version: string | null;
  /** What preview serves after this build: the new version, or the one still serving. */
  previewVersion: string | null;
  builtAt: string;
}

// ---- Versions tab (permissions of a version) ----

/** One service a version may call and the exact hosts Kiln's egress proxy lets it reach for it. */
export interface ConnectorPermission {
  id: ConnectorId;
  label: string;
  hosts: string[];
}

/** What a version may reach outside Kiln: nothing unless its code imports a connector. */
export interface VersionPermissions {
  connectors: ConnectorPermission[];
  /** Every host of those connectors, sorted. */
  hosts: string[];
}

/** A version as `GET /api/apps/:id/versions` lists it, with its permissions. */
export interface ListedVersion extends Version {
  permissions: VersionPermissions;
  /** It has served the live app before, so it can be rolled back to. */
  wasLive: boolean;
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

/** Who may use one environment of an app (`/api/apps/:id/access`). */
export type AccessRule = "public" | "signed_in" | "invited" | "domains" | "owner";

/** One environment's rule, and who chose it: the owner, the published code's `access`, or Kiln's default. */
export interface EnvironmentAccess {
  rule: AccessRule;
  domains: string[];
  setBy: "owner" | "app" | "default";
}

/** Both environments' rules, the invite list, and the roles the app's code declares. */
export interface AccessOverview {
  preview: EnvironmentAccess;
  live: EnvironmentAccess;
  visitors: { email: string; roles: string[]; invitedAt: string }[];
  roles: string[];
}

/** A mail in the local outbox. */
export interface OutboxMail {
  id: string;
  to: string;
  subject: string;
  text: string;
  createdAt: string;
}

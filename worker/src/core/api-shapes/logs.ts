// An app's log lines (`GET /api/apps/:id/logs`) and audited outbound calls (`GET /api/apps/:id/egress`).
import type { Environment } from "./common";
import type { ConnectorId } from "./connections";

/** Severity of a log line, as the console method that wrote it. */
export type LogLevel = "debug" | "info" | "log" | "warn" | "error";

/** A stored log line as the API returns it (`{ logs }`, newest first). */
export interface LogEntry {
  id: number;
  timestamp: string;
  level: LogLevel;
  message: string;
  requestId: string | null;
  environment: Environment;
  version: string | null;
}

/** How an outbound call ended, as the audit records it. */
/** `replayed`: a retried run's repeat of a write that already succeeded, answered by Kiln without sending it. */
export type EgressOutcome = "sent" | "replayed" | "blocked" | "not_connected" | "rate_limited" | "failed";

/** One audited outbound call (no credential, header value or query value); `GET …/egress` → `{ calls }`. */
export interface OutboundCall {
  id: number;
  appId: string;
  environment: Environment;
  version: string;
  requestId: string | null;
  connector: ConnectorId | null;
  method: string;
  host: string;
  path: string;
  outcome: EgressOutcome;
  status: number | null;
  durationMs: number;
  bytes: number;
  createdAt: string;
}

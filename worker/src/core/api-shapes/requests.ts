// An app's request log (`GET /api/apps/:id/requests`) and its chart (`GET /api/apps/:id/requests/summary`).
import type { Environment } from "./common";

/** Who sent a request to the app: a visitor, or Kiln itself for an automation run, a Stripe event or an MCP tool call. */
export type RequestKind = "visit" | "automation" | "stripe" | "tool";

/** One request an app answered, as its isolate's tail reported it (path only: query strings may carry secrets). */
export interface RequestEntry {
  id: number;
  timestamp: string;
  environment: Environment;
  version: string | null;
  requestId: string | null;
  kind: RequestKind;
  method: string;
  path: string;
  /** Null when the isolate ended without an answer (`outcome` says why, e.g. `exceededCpu`). */
  status: number | null;
  outcome: string;
  durationMs: number;
}

/** `GET …/requests` → `{ requests, nextBefore }`: newest first; `nextBefore` pages back (null: no more). */
export interface RequestPage {
  requests: RequestEntry[];
  nextBefore: number | null;
}

/** One bucket of the chart: requests, server errors (5xx or no answer) and client errors (4xx). */
export interface RequestBucket {
  /** ISO start of the bucket. */
  start: string;
  requests: number;
  serverErrors: number;
  clientErrors: number;
}

/** `GET …/requests/summary`: buckets of `bucketSeconds` from `from` to `to`, every bucket present (zeros too). */
export interface RequestSummary {
  from: string;
  to: string;
  bucketSeconds: number;
  buckets: RequestBucket[];
  totals: { requests: number; serverErrors: number; clientErrors: number };
}

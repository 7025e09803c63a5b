import { INVOKE_HEADER } from "../core/headers";
import type { RequestKind } from "../core/api-shapes/requests";
import type { NewRequestEntry } from "./request-records";
import { type TraceSource, requestIdOf } from "./trace-to-logs";

/** Longest path kept; longer ones are cut (a path is for reading, not for replaying). */
export const MAX_PATH_CHARS = 512;

/**
 * Turns the tail events of an app isolate into request-log rows: method, path (never the query, which may carry
 * secrets), status, wall time and the request id Kiln sent. Reads only what the tail already has, so visitors'
 * requests do no extra work; events that are not HTTP requests (RPC, eviction) are left out.
 */
export function traceToRequests(source: TraceSource, events: TraceItem[]): NewRequestEntry[] {
  const rows: NewRequestEntry[] = [];
  for (const event of events) {
    const info = event.event;
    if (!info || !("request" in info)) continue;
    const { request, response } = info as TraceItemFetchEventInfo;
    rows.push({
      appId: source.appId,
      environment: source.environment,
      version: source.version,
      requestId: requestIdOf(event),
      kind: kindOf(request.headers[INVOKE_HEADER]),
      method: request.method.slice(0, 16),
      path: pathOf(request.url),
      status: response?.status ?? null,
      outcome: event.outcome.slice(0, 40),
      durationMs: durationOf(event),
      timestamp: new Date(event.eventTimestamp ?? Date.now()).toISOString(),
    });
  }
  return rows;
}

/**
 * How long the request took: the trace's wall time where the runtime reports it (Cloudflare); where it reports 0
 * (local workerd), the time from the event's start to its tail, which runs once all of its work is over.
 */
function durationOf(event: TraceItem): number {
  if (event.wallTime > 0) return Math.round(event.wallTime);
  if (event.eventTimestamp === null) return 0;
  return Math.max(0, Date.now() - event.eventTimestamp);
}

/** Who sent it: Kiln's own events carry INVOKE_HEADER (stripped from visitors before app code runs). */
function kindOf(invoke: string | undefined): RequestKind {
  if (invoke === "automation") return "automation";
  if (invoke === "stripe") return "stripe";
  if (invoke === "tools") return "tool";
  return "visit";
}

/** The path of a request URL, without its query or fragment. */
export function pathOf(url: string): string {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    path = url.split(/[?#]/)[0] ?? "/";
  }
  return path.length > MAX_PATH_CHARS ? `${path.slice(0, MAX_PATH_CHARS)}…` : path;
}

import { WorkerEntrypoint } from "cloudflare:workers";
import type { Env } from "../core/env";
import { storeTailRecords } from "./request-store";
import { traceToRequests } from "./trace-to-requests";
import { type TraceSource, traceToLogs } from "./trace-to-logs";

/**
 * The tail every app isolate reports to: runs after each request, off the
 * visitor's path, and stores that request's console output and errors, and its row of the request log.
 */
export class AppLogTail extends WorkerEntrypoint<Env, TraceSource> {
  override async tail(events: TraceItem[]): Promise<void> {
    await storeTailRecords(this.env.DB, [
      ...traceToLogs(this.ctx.props, events),
      ...traceToRequests(this.ctx.props, events),
    ]);
  }
}

import { WorkerEntrypoint } from "cloudflare:workers";
import type { Env } from "../core/env";
import { appendLogs } from "./log-store";
import { type TraceSource, traceToLogs } from "./trace-to-logs";

/**
 * The tail every app isolate reports to: runs after each request, off the
 * visitor's path, and stores that request's console output and errors.
 */
export class AppLogTail extends WorkerEntrypoint<Env, TraceSource> {
  override async tail(events: TraceItem[]): Promise<void> {
    await appendLogs(this.env.DB, traceToLogs(this.ctx.props, events));
  }
}

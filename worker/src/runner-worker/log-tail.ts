import { WorkerEntrypoint } from "cloudflare:workers";
import { type TraceSource, requestIdOf, traceToLogs } from "../logs/trace-to-logs";
import { finishRequest } from "./in-progress";
import type { RunnerEnv } from "./runner-env";
import { logBatch } from "./serving";

/**
 * The tail of app isolates in the runner: bounded lines join the runner's log batch (one call to the control
 * plane per batch, not per request), and quiet requests add nothing.
 */
export class AppLogTail extends WorkerEntrypoint<RunnerEnv, TraceSource> {
  override tail(events: TraceItem[]): void {
    for (const event of events) finishRequest(requestIdOf(event));
    logBatch(this.env).add(traceToLogs(this.ctx.props, events), (promise) => this.ctx.waitUntil(promise));
  }
}

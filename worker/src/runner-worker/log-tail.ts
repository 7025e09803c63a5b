import { WorkerEntrypoint } from "cloudflare:workers";
import { type TraceSource, requestIdOf, traceToLogs } from "../logs/trace-to-logs";
import { finishRequest } from "./in-progress";
import type { RunnerEnv } from "./runner-env";

/**
 * The tail of app isolates in the runner: bounded lines go to the control
 * plane in one call per request, and quiet requests make no call at all.
 */
export class AppLogTail extends WorkerEntrypoint<RunnerEnv, TraceSource> {
  override async tail(events: TraceItem[]): Promise<void> {
    for (const event of events) finishRequest(requestIdOf(event));
    const entries = traceToLogs(this.ctx.props, events);
    if (entries.length > 0) await this.env.CONTROL.appendLogs(entries);
  }
}

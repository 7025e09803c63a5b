import { WorkerEntrypoint } from "cloudflare:workers";
import { type TraceSource, isKilnEvent, requestIdOf, traceToLogs } from "../logs/trace-to-logs";
import { traceToRequests } from "../logs/trace-to-requests";
import { finishRequest } from "./in-progress";
import type { RunnerEnv } from "./runner-env";
import { logBatch, requestLedger } from "./serving";

/**
 * The tail of app isolates in the runner: bounded lines, the request's count and (an error, or within the
 * sample) its row of the request log join the runner's log batch (one call to the control plane per batch).
 */
export class AppLogTail extends WorkerEntrypoint<RunnerEnv, TraceSource> {
  override tail(events: TraceItem[]): void {
    for (const event of events) finishRequest(requestIdOf(event));
    const batch = logBatch(this.env);
    const waitUntil = (promise: Promise<unknown>) => this.ctx.waitUntil(promise);
    const requests = traceToRequests(this.ctx.props, events);
    batch.add(
      [...traceToLogs(this.ctx.props, events), ...requestLedger().keep(requests)],
      waitUntil,
      requests.length > 0,
    );
    // A run's page shows its lines as soon as the run ends: Kiln's own events are not kept waiting for a batch.
    if (events.some(isKilnEvent)) waitUntil(batch.flush());
  }
}

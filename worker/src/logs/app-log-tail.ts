import { WorkerEntrypoint } from "cloudflare:workers";
import type { Env } from "../core/env";
import { RequestLedger } from "./request-ledger";
import { storeTailRecords } from "./request-store";
import { traceToRequests } from "./trace-to-requests";
import { type TraceSource, traceToLogs } from "./trace-to-logs";

/**
 * The tail every app isolate reports to: runs after each request, off the
 * visitor's path, and stores that request's console output and errors, its count and its request-log row.
 */
export class AppLogTail extends WorkerEntrypoint<Env, TraceSource> {
  override async tail(events: TraceItem[]): Promise<void> {
    // One tail at a time here (no batch): its requests are counted and kept by the same rules as in the runner.
    const ledger = new RequestLedger();
    const kept = ledger.keep(traceToRequests(this.ctx.props, events));
    await storeTailRecords(this.env.DB, [...traceToLogs(this.ctx.props, events), ...kept, ...ledger.drain()]);
  }
}

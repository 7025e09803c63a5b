import { WorkerEntrypoint } from "cloudflare:workers";
import type { Env, Environment } from "../env";
import { appendLogs } from "../logs/log-store";
import { MAX_SUBREQUESTS_PER_REQUEST, subrequestBudgetMessage, takeSubrequest } from "./subrequest-budget";

/** Identifies whose outbound call this is; fixed by Kiln when the isolate is created. */
export interface EgressProps {
  appId: string;
  environment: Environment;
  version: string;
}

/** The message an app sees when it calls a host it may not reach. */
export function blockedMessage(hostname: string): string {
  return `network access to ${hostname} is not allowed for this app`;
}

/**
 * The only way out of an app isolate (its `globalOutbound`). Deny by
 * default: every destination is refused and the attempt logged. The
 * connectors add allow-lists and credential injection here.
 */
export class EgressProxy extends WorkerEntrypoint<Env, EgressProps> {
  override fetch(request: Request): Promise<Response> {
    return handleEgress(this.env, this.ctx.props, request);
  }

  // Raw TCP from `connect()` arrives here (workerd does not tell us the
  // destination); no app may open sockets, so refuse and log every attempt.
  override async connect(socket: Socket): Promise<void> {
    await appendLogs(this.env.DB, [
      { ...this.ctx.props, requestId: null, level: "warn", message: "Blocked network access: a raw socket connection (connect()) is not allowed for this app." },
    ]);
    await socket.close();
    throw new Error(BLOCKED_SOCKET_MESSAGE);
  }
}

/** The message an app sees when it opens a raw socket. */
export const BLOCKED_SOCKET_MESSAGE = "raw network connections (connect()) are not allowed for this app";

/**
 * The egress decision for one outbound call of the app named by `props`
 * (props always come from Kiln, never from the app). Today: deny and log.
 */
export async function handleEgress(env: Env, props: EgressProps, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const requestId = request.headers.get("x-kiln-request-id");
  if (!takeSubrequest(requestId)) {
    // Logged once, when the budget is first exceeded, so a flood does not flood the logs too.
    if (takeSubrequest(`${requestId}:logged`, 1)) {
      await appendLogs(env.DB, [{ ...props, requestId, level: "error", message: `Stopped outbound calls: ${subrequestBudgetMessage(MAX_SUBREQUESTS_PER_REQUEST)}.` }]);
    }
    throw new Error(subrequestBudgetMessage(MAX_SUBREQUESTS_PER_REQUEST));
  }
  await appendLogs(env.DB, [
    {
      ...props,
      requestId,
      level: "warn",
      message: `Blocked network access: ${request.method} ${url.origin}${url.pathname} (this app may not call ${url.hostname}).`,
    },
  ]);
  throw new Error(blockedMessage(url.hostname));
}

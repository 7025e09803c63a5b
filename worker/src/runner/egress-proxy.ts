import { WorkerEntrypoint } from "cloudflare:workers";
import { BLOCKED_SOCKET_MESSAGE, type EgressProps } from "../egress/egress-props";
import type { RunnerEnv } from "./runner-env";

/** `globalOutbound` of app isolates in the runner: every decision is the control plane's. */
export class EgressProxy extends WorkerEntrypoint<RunnerEnv, EgressProps> {
  override fetch(request: Request): Promise<Response> {
    return this.env.CONTROL.egress(this.ctx.props, request);
  }

  override async connect(socket: Socket): Promise<void> {
    await this.env.CONTROL.appendLogs([
      {
        ...this.ctx.props,
        requestId: null,
        level: "warn",
        message: "Blocked network access: a raw socket connection (connect()) is not allowed for this app.",
      },
    ]);
    await socket.close();
    throw new Error(BLOCKED_SOCKET_MESSAGE);
  }
}

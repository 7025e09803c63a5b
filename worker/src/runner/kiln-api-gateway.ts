import { WorkerEntrypoint } from "cloudflare:workers";
import type { SnippetProps } from "../isolates/app-runner";
import type { GatewayAnswer } from "../mcp/operation-call";
import type { RunnerEnv } from "./runner-env";

/** An MCP snippet's `env.KILN` in the runner: every call is the control plane's to check and answer. */
export class KilnApiGateway extends WorkerEntrypoint<RunnerEnv, SnippetProps> {
  call(name: string, input: unknown): Promise<GatewayAnswer> {
    return this.env.CONTROL.kilnApi(this.ctx.props, name, input);
  }
}

import { WorkerEntrypoint } from "cloudflare:workers";
import type { Env } from "../core/env";
import type { SnippetProps } from "../isolates/app-runner";
import type { GatewayAnswer } from "../mcp/operation-call";
import { callKilnApi } from "./kiln-api-call";

/** An MCP snippet's `env.KILN` when it runs in this process (the workerd test pool): props name its owner and run. */
export class KilnApiGateway extends WorkerEntrypoint<Env, SnippetProps> {
  call(name: string, input: unknown): Promise<GatewayAnswer> {
    return callKilnApi(this.env, this.ctx, this.ctx.props, name, input);
  }
}

import { WorkerEntrypoint } from "cloudflare:workers";
import type { Env } from "../core/env";
import type { SnippetProps } from "../isolates/app-runner";
import type { GatewayAnswer } from "../mcp/operation-call";
import { callKilnApi } from "./kiln-api-call";
import { chargeCall } from "../isolates/snippet-budget";

/** An MCP snippet's `env.KILN` when it runs in this process (the workerd test pool): props name its owner and run. */
export class KilnApiGateway extends WorkerEntrypoint<Env, SnippetProps> {
  async call(name: string, input: unknown): Promise<GatewayAnswer> {
    const refused = chargeCall(this.ctx.props);
    if (refused !== null) return { ok: false, status: 429, code: "snippet_budget", message: refused };
    return callKilnApi(this.env, this.ctx, this.ctx.props, name, input);
  }
}

import { WorkerEntrypoint } from "cloudflare:workers";
import type { SnippetProps } from "../isolates/app-runner";
import type { GatewayAnswer } from "../mcp/operation-call";
import type { RunnerEnv } from "./runner-env";
import { chargeCall } from "../isolates/snippet-budget";

/** An MCP snippet's `env.KILN` in the runner: every call is the control plane's to check and answer. */
export class KilnApiGateway extends WorkerEntrypoint<RunnerEnv, SnippetProps> {
  async call(name: string, input: unknown): Promise<GatewayAnswer> {
    // Charged here, in the snippet's own process, so the count is exact however the control plane is spread out.
    const refused = chargeCall(this.ctx.props);
    if (refused !== null) return { ok: false, status: 429, code: "snippet_budget", message: refused };
    return this.env.CONTROL.kilnApi(this.ctx.props, name, input);
  }
}

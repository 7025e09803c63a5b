import { api } from "../http/api";
import { findUser } from "../auth/user-store";
import { actingAs } from "../core/acting-user";
import type { Env } from "../core/env";
import type { SnippetProps } from "../isolates/app-runner";
import { answerOf, type GatewayAnswer, prepareCall } from "../mcp/operation-call";

/**
 * Answers one `kiln.*` call of an MCP snippet (its gateway charged the run's budget): before its deadline, as its owner (re-read, so a deleted account
 * acts no more), through the JSON API in this process. The isolate sees the answer, never a credential.
 */
export async function callKilnApi(
  env: Env,
  ctx: ExecutionContext,
  props: SnippetProps,
  name: string,
  input: unknown,
): Promise<GatewayAnswer> {
  if (Date.now() > props.deadlineAt)
    return { ok: false, status: 429, code: "snippet_budget", message: "This snippet's time is over: run a new one." };
  const prepared = prepareCall(name, input);
  if (!prepared.ok) return prepared;
  const user = await findUser(env.DB, props.userId);
  if (!user)
    return { ok: false, status: 401, code: "unauthorized", message: "The account this snippet ran for is gone." };
  const response = await api.fetch(prepared.request, actingAs(env, user), ctx);
  return answerOf(prepared.operation, response);
}

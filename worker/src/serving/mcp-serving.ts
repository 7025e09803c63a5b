// `/mcp` of an app host, end to end in the runner: the MCP gate (token or public rule), then each `tools/list` or
// `tools/call` as a Kiln-only request into the app's cached isolate (`x-kiln-invoke: tools`, which visitors cannot
// send: serve-app strips `x-kiln-*`), so a call has a request id for logs and egress, the runner's marks, deadline
// and the app's concurrency budget, exactly like a visit.
import { INVOKE_HEADER, REQUEST_ID_HEADER } from "../core/headers";
import { newId } from "../core/ids";
import type { Visitor } from "../data/visitor-sessions";
import type { AppRunner } from "../isolates/app-runner";
import type { NewLogEntry } from "../logs/log-store";
import type { AppHost } from "../placement/app-host";
import { type ListedTool, MCP_PATH, type ToolOutcome, ToolsUnavailableError, answerMcp } from "./app-mcp";
import { DEFAULT_BUDGETS, type ServingBudgets, admit, limitResponseBody } from "./budgets";
import { mcpPreflight, withMcpCors } from "./mcp-cors";
import { checkMcpCaller, isOAuthMetadataPath, oauthMetadata } from "./mcp-gate";
import { type ServedApp, servedConnectors } from "./served-app";
import type { SessionLookup } from "./visitor-gate";

/** A tool's answer is read by a model: far less than a page may be, so a runaway result stops here. */
export const MAX_TOOL_RESULT_BYTES = 1024 * 1024;

/** What `/mcp` needs of the serving process (a part of serve-app's ServingDeps). */
export interface McpServingDeps {
  runner: AppRunner;
  log(entries: NewLogEntry[]): Promise<void>;
  sessions: SessionLookup;
  requestId?: string | null;
  budgets?: ServingBudgets;
}

/** The isolate's answer to a tools request (entry-wrapper.ts `handleTools`). */
type ToolsAnswer = { ok: true; output: unknown } | { ok: false; error: string; missing?: boolean; refused?: boolean };

/** Whether a path is Kiln's MCP endpoint or its OAuth metadata (on the host of a version that exports tools). */
export function isMcpPath(path: string): boolean {
  return path === MCP_PATH || (path.startsWith("/.well-known/oauth-") && isOAuthMetadataPath(path));
}

/** Answers `/mcp` and the OAuth metadata of an app host serving `version`, which exports tools. */
export async function serveMcp(
  request: Request,
  url: URL,
  app: ServedApp,
  host: AppHost,
  version: string,
  deps: McpServingDeps,
): Promise<Response> {
  // A browser's preflight carries no token: it is answered before the gate.
  if (request.method === "OPTIONS") return mcpPreflight();
  if (url.pathname !== MCP_PATH) return oauthMetadata(url, app.name);
  const gate = await checkMcpCaller(request, url, app, host.environment, app.access[host.environment], deps.sessions);
  if (!gate.pass) return withMcpCors(gate.response);
  const caller = gate.visitor;
  const requestId = deps.requestId ?? newId("req");
  const ask = (body: Record<string, unknown>) => askIsolate(request, app, host, version, deps, requestId, body);
  const response = await answerMcp(request, {
    serverName: app.name,
    async list(): Promise<ListedTool[]> {
      const answer = await ask({ op: "list" });
      if (!answer.ok) throw new ToolsUnavailableError(answer.error);
      const tools = listedTools(answer.output);
      if (tools === null) throw new ToolsUnavailableError("The app's list of tools could not be read.");
      return tools
        .filter((tool) => mayCall(tool.roles, caller))
        .map(({ name, description, inputSchema }) => ({ name, description, inputSchema }));
    },
    async call(name, input): Promise<ToolOutcome> {
      const answer = await ask({ op: "call", name, input, caller });
      if (answer.ok) return answer;
      return { ok: false, error: answer.error, unknown: answer.missing === true || answer.refused === true };
    },
  });
  response.headers.set(REQUEST_ID_HEADER, requestId);
  return withMcpCors(response);
}

// The isolate's list, checked: it comes from Kiln's wrapper, but inside an app's isolate, which is not trusted.
function listedTools(output: unknown): (ListedTool & { roles: string[] })[] | null {
  if (!Array.isArray(output)) return null;
  const tools: (ListedTool & { roles: string[] })[] = [];
  for (const item of output) {
    if (typeof item !== "object" || item === null) return null;
    const { name, description, inputSchema, roles } = item as Record<string, unknown>;
    if (typeof name !== "string" || typeof description !== "string") return null;
    if (typeof inputSchema !== "object" || inputSchema === null) return null;
    const declared = Array.isArray(roles) ? roles.filter((role): role is string => typeof role === "string") : [];
    tools.push({ name, description, inputSchema: inputSchema as ListedTool["inputSchema"], roles: declared });
  }
  return tools;
}

// The same test the isolate applies before a call: any one declared role, and the owner always.
function mayCall(roles: string[], caller: Visitor | null): boolean {
  if (roles.length === 0) return true;
  return caller?.roles.some((role) => role === "owner" || roles.includes(role)) === true;
}

async function askIsolate(
  request: Request,
  app: ServedApp,
  host: AppHost,
  version: string,
  deps: McpServingDeps,
  requestId: string,
  body: Record<string, unknown>,
): Promise<ToolsAnswer> {
  const budgets = deps.budgets ?? DEFAULT_BUDGETS;
  const environment = host.environment;
  const logError = (message: string) =>
    deps.log([{ appId: app.appId, environment, version, requestId, level: "error", message }]);
  const release = await admit(`${app.appId}:${environment}`, budgets);
  if (!release) return { ok: false, error: "The app is busy; try again in a moment." };
  try {
    // The path names the call, so the request log reads `/__kiln/tools/addLead` (a list is `/__kiln/tools`).
    const path = typeof body.name === "string" ? `/__kiln/tools/${encodeURIComponent(body.name)}` : "/__kiln/tools";
    const invoke = new Request(new URL(path, request.url), {
      method: "POST",
      headers: { [REQUEST_ID_HEADER]: requestId, [INVOKE_HEADER]: "tools", "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const target = {
      appId: app.appId,
      environment,
      version,
      config: app.config,
      connectors: servedConnectors(app, environment),
    };
    const answered = await deps.runner.serve(target, invoke);
    // Not the wrapper's JSON: the runner answered instead (restarting, a paused version) — nothing for the logs.
    if (!answered.ok || !(answered.headers.get("content-type") ?? "").includes("application/json")) {
      await answered.body?.cancel();
      return {
        ok: false,
        error: `The app could not answer right now (status ${answered.status}); try again in a moment.`,
      };
    }
    const limited = await limitResponseBody(answered, MAX_TOOL_RESULT_BYTES, () => {});
    const text = limited ? await limited.text().catch(() => null) : null;
    if (text === null) {
      await logError(`Cut off a tool's result: over ${MAX_TOOL_RESULT_BYTES / 1024} KiB.`);
      return { ok: false, error: "The tool's result was too large." };
    }
    return JSON.parse(text) as ToolsAnswer;
  } catch (error) {
    // The app's own errors are in its logs through the tail; this records the platform's side (a missing bundle).
    await logError(`Kiln could not run a tool call: ${error instanceof Error ? error.message : String(error)}`);
    return { ok: false, error: `The app ran into an error (request ${requestId}); its owner can see why in its logs.` };
  } finally {
    release();
  }
}

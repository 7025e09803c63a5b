// The MCP server of an app host (`<app host>/mcp`): a small stateless JSON-RPC handler for MCP's Streamable HTTP
// transport, answering with JSON only. Written here rather than taken from @modelcontextprotocol/sdk: the runner's
// bundle holds no npm package (scripts/runner-bundle.test.mjs), and these five methods need no session or stream.
import { MCP_PROTOCOL_HEADER } from "../core/headers";

/** The path Kiln answers for MCP clients on the host of a version that exports tools (the app's own path otherwise). */
export const MCP_PATH = "/mcp";

/** Protocol versions this server speaks, newest first: the one a client asks for if known, else the newest. */
export const MCP_PROTOCOL_VERSIONS = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"] as const;

/** A tool as `tools/list` shows it. */
export interface ListedTool {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

/** A tool call's outcome from the app: its output, or words for the assistant (`unknown`: no such tool). */
export type ToolOutcome = { ok: true; output: unknown } | { ok: false; error: string; unknown?: boolean };

/**
 * The app could not say which tools it has (busy, crashed, its code missing): `tools/list` answers a JSON-RPC error
 * with this message, so an assistant is told why instead of seeing an app without tools.
 */
export class ToolsUnavailableError extends Error {
  override readonly name = "ToolsUnavailableError";
}

/** What the handler asks of the app's isolate: the tools this caller may use (or ToolsUnavailableError), and one call. */
export interface ToolHost {
  serverName: string;
  list(): Promise<ListedTool[]>;
  call(name: string, input: Record<string, unknown>): Promise<ToolOutcome>;
}

type JsonRpcId = string | number;
type Reply = { result: unknown } | { error: { code: number; message: string } };

// JSON-RPC's own error codes.
const PARSE_ERROR = -32700;
const INVALID_REQUEST = -32600;
const METHOD_NOT_FOUND = -32601;
const INVALID_PARAMS = -32602;
const INTERNAL_ERROR = -32603;

/** Answers one HTTP request to `/mcp`: POST carries a JSON-RPC message; GET (no server stream here) and others get 405. */
export async function answerMcp(request: Request, host: ToolHost): Promise<Response> {
  if (request.method !== "POST")
    return new Response(null, { status: 405, headers: { allow: "POST", "cache-control": "no-store" } });
  if (!(request.headers.get("content-type") ?? "").includes("application/json"))
    return rpcError(null, INVALID_REQUEST, "Send JSON-RPC as application/json.", 415);
  const version = request.headers.get(MCP_PROTOCOL_HEADER);
  if (version !== null && !(MCP_PROTOCOL_VERSIONS as readonly string[]).includes(version))
    return rpcError(null, INVALID_REQUEST, `Unsupported ${MCP_PROTOCOL_HEADER}: ${version}.`, 400);
  let message: unknown;
  try {
    message = await request.json();
  } catch {
    return rpcError(null, PARSE_ERROR, "The body is not JSON.", 400);
  }
  // Batches left JSON-RPC over MCP in 2025-06-18; one message a request keeps every call its own request id.
  if (message === null || typeof message !== "object" || Array.isArray(message))
    return rpcError(null, INVALID_REQUEST, "Send one JSON-RPC message per request.", 400);
  const { id, method, params } = message as { id?: unknown; method?: unknown; params?: unknown };
  // Notifications (no id) and a client's answers to us need no reply: 202, as the transport says.
  if (id === undefined || typeof method !== "string") return new Response(null, { status: 202 });
  if (typeof id !== "string" && typeof id !== "number")
    return rpcError(null, INVALID_REQUEST, "A request id is text or a number.", 400);
  const reply = await dispatch(method, params ?? {}, host);
  return Response.json({ jsonrpc: "2.0", id, ...reply }, { headers: { "cache-control": "no-store" } });
}

async function dispatch(method: string, params: unknown, host: ToolHost): Promise<Reply> {
  const given = (params ?? {}) as Record<string, unknown>;
  switch (method) {
    case "initialize": {
      const asked = given.protocolVersion;
      const known = (MCP_PROTOCOL_VERSIONS as readonly unknown[]).includes(asked);
      return {
        result: {
          protocolVersion: known ? asked : MCP_PROTOCOL_VERSIONS[0],
          capabilities: { tools: { listChanged: false } },
          serverInfo: { name: host.serverName, version: "1.0.0" },
        },
      };
    }
    case "ping":
      return { result: {} };
    case "tools/list":
      try {
        return { result: { tools: await host.list() } };
      } catch (error) {
        if (error instanceof ToolsUnavailableError) return { error: { code: INTERNAL_ERROR, message: error.message } };
        throw error;
      }
    case "tools/call": {
      const { name, arguments: input } = given;
      if (typeof name !== "string") return { error: { code: INVALID_PARAMS, message: "tools/call needs a name." } };
      if (input !== undefined && (input === null || typeof input !== "object" || Array.isArray(input)))
        return { error: { code: INVALID_PARAMS, message: "A tool's arguments are one object." } };
      const outcome = await host.call(name, (input ?? {}) as Record<string, unknown>);
      if (!outcome.ok && outcome.unknown) return { error: { code: INVALID_PARAMS, message: outcome.error } };
      return { result: toolResult(outcome) };
    }
    default:
      return { error: { code: METHOD_NOT_FOUND, message: `This server does not offer ${method}.` } };
  }
}

// A tool's output as MCP content: text for any client, and the object itself for those that read structured results.
function toolResult(outcome: ToolOutcome): Record<string, unknown> {
  if (!outcome.ok) return { content: [{ type: "text", text: outcome.error }], isError: true };
  const { output } = outcome;
  const text = typeof output === "string" ? output : JSON.stringify(output);
  const structured = output !== null && typeof output === "object" && !Array.isArray(output);
  return { content: [{ type: "text", text }], ...(structured ? { structuredContent: output } : {}) };
}

function rpcError(id: JsonRpcId | null, code: number, message: string, status: number): Response {
  return Response.json(
    { jsonrpc: "2.0", id, error: { code, message } },
    { status, headers: { "cache-control": "no-store" } },
  );
}

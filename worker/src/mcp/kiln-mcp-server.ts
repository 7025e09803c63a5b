// Kiln as an MCP server in Code Mode: two tools instead of one per operation, as Cloudflare's own MCP server does.
// The agent searches the typed API for what a task needs, then writes code against it; the code runs sandboxed.
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { MAX_SEARCH_RESULTS } from "./kiln-search";
import type { SnippetOutcome } from "./execute-snippet";
import { SNIPPET_LIMITS } from "../isolates/snippet-budget";

/** What the two tools do for the signed-in owner; the route supplies them. */
export interface KilnTools {
  search(query: string, limit?: number): string;
  /** The whole typed client's declaration, offered as a resource to clients that would rather read it all. */
  declaration: string;
  execute(code: string): Promise<SnippetOutcome>;
}

/** The server's name and version as MCP clients show them. */
export const KILN_MCP_SERVER = { name: "kiln", version: "0.1.0" } as const;

/** The tool list every client reads first: kept short, since it is in the agent's context on every turn. */
export const TOOL_DESCRIPTIONS = {
  search:
    "Find the part of Kiln's typed API a task needs. Answers TypeScript declarations: operations of the `kiln` client (apps, source, builds, versions, setup, data, automations, runs, logs, connections), the contract an app's source is written against (module \"kiln\"), and connectors (kiln/stripe, kiln/airtable, kiln/google). Search before execute.",
  execute: `Run TypeScript against your Kiln. \`code\` is the body of an async function with \`kiln\` (the typed client) in scope: await its operations and \`return\` a JSON result. It is type-checked first (errors come back by line). Each run: a fresh sandbox, no network, at most ${SNIPPET_LIMITS.calls} kiln calls and ${SNIPPET_LIMITS.seconds} s; console output is returned. Example: const app = await kiln.apps.create({ name: "Todo" }); return app.previewUrl;`,
} as const;

/** A server with the two tools, for one request (the transport is stateless: every POST stands alone). */
export function kilnMcpServer(tools: KilnTools): McpServer {
  const server = new McpServer(KILN_MCP_SERVER);
  server.registerTool(
    "search",
    {
      description: TOOL_DESCRIPTIONS.search,
      inputSchema: {
        query: z.string().min(1).max(500).describe("Words of the task, e.g. 'publish a version' or 'stripe refunds'"),
        limit: z.number().int().min(1).max(20).optional().describe(`Most declarations (default ${MAX_SEARCH_RESULTS})`),
      },
      annotations: { readOnlyHint: true },
    },
    ({ query, limit }) => ({ content: [{ type: "text", text: tools.search(query, limit) }] }),
  );
  server.registerTool(
    "execute",
    {
      description: TOOL_DESCRIPTIONS.execute,
      inputSchema: {
        code: z.string().min(1).max(SNIPPET_LIMITS.codeCharacters).describe("TypeScript; kiln is in scope"),
      },
    },
    async ({ code }) => {
      const outcome = await tools.execute(code);
      return { content: [{ type: "text", text: JSON.stringify(outcome) }], isError: !outcome.ok };
    },
  );
  server.registerResource(
    "kiln-client",
    CLIENT_RESOURCE,
    {
      description: "The typed Kiln client `execute` snippets call, whole (search returns its parts).",
      mimeType: "text/x-typescript",
    },
    () => ({ contents: [{ uri: CLIENT_RESOURCE, mimeType: "text/x-typescript", text: tools.declaration }] }),
  );
  return server;
}

/** Where the client's whole declaration is read (`resources/read`). */
export const CLIENT_RESOURCE = "kiln://client.d.ts";

import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import { ownerResourceMetadataUrl } from "../../mcp/oauth/owner-oauth-paths";
import { connectorCatalogs, seedDeclarations } from "../../compiler/seed";
import type { RunnerFor } from "../../isolates/app-runner-for";
import { executeSnippet } from "../../mcp/execute-snippet";
import { admitSnippet } from "../../mcp/snippet-admission";
import { kilnClientDeclaration } from "../../mcp/kiln-client-source";
import { kilnMcpServer } from "../../mcp/kiln-mcp-server";
import { searchIndex, searchKiln } from "../../mcp/kiln-search";
import type { PlatformContext } from "../context";

let index: ReturnType<typeof searchIndex> | undefined;

// Built on first use: it reads every connector's catalog, which most isolates never need.
function kilnSearchIndex(): ReturnType<typeof searchIndex> {
  index ??= searchIndex({
    contract: seedDeclarations.get("node_modules/kiln/index.d.ts") ?? "",
    catalogs: connectorCatalogs,
  });
  return index;
}

/**
 * A 401 of `/mcp` says how to authenticate, as the MCP authorization spec asks: a bearer token (the owner's API token,
 * or an OAuth access token), with the protected resource's metadata URL from which an OAuth client finds the sign-in.
 */
export const mcpChallenge = createMiddleware<PlatformContext>(async (c, next) => {
  await next();
  if (c.res.status !== 401) return;
  const metadata = ownerResourceMetadataUrl(new URL(c.req.url).origin);
  const error = c.req.header("authorization") ? ', error="invalid_token"' : "";
  c.res.headers.set("www-authenticate", `Bearer resource_metadata="${metadata}"${error}`);
});

/**
 * `/api/mcp` (and `/mcp` on the platform host): Kiln's MCP server over Streamable HTTP, for the owner whose API token
 * (`Authorization: Bearer kiln_pat_…`) or OAuth access token (`kiln_mcp_…`) the client sends. Stateless: each POST is a whole exchange, JSON answers.
 */
export function mcpRoutes(runnerFor: RunnerFor) {
  return new Hono<PlatformContext>().all("/", async (c) => {
    const user = c.var.user;
    const server = kilnMcpServer({
      search: (query, limit) => searchKiln(kilnSearchIndex(), query, limit),
      declaration: kilnClientDeclaration(),
      // A runner picked by the owner, so one owner's snippets land on one runner and others' apps elsewhere stay clear.
      execute: async (code) => {
        const refused = await admitSnippet(c.env.DB, user.id);
        if (refused !== null) return { ok: false, error: refused, logs: [] };
        return executeSnippet(runnerFor(c.env, `mcp-${user.id}`), user.id, code);
      },
    });
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    await server.connect(transport);
    return transport.handleRequest(c.req.raw);
  });
}

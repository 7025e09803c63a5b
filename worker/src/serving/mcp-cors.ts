// CORS for an app host's `/mcp` and its OAuth metadata, so MCP clients running in a browser (an assistant's web UI,
// the MCP Inspector) can call the tools and read the 401's `www-authenticate`. Any origin, without credentials:
// MCP clients send a bearer token, never a cookie, so a page elsewhere gains nothing it could not do from a server.

/** The request headers MCP's Streamable HTTP transport and its authorization send. */
const ALLOWED_HEADERS = "content-type, authorization, mcp-protocol-version, mcp-session-id, last-event-id";

/** What a browser client may read of an answer: the OAuth challenge, and the session header of the transport. */
const EXPOSED_HEADERS = "www-authenticate, mcp-session-id";

/** The answer to a browser's preflight (OPTIONS) of `/mcp` or the metadata: every method the transport uses. */
export function mcpPreflight(): Response {
  return new Response(null, {
    status: 204,
    headers: {
      "access-control-allow-origin": "*",
      "access-control-allow-methods": "GET, POST, DELETE, OPTIONS",
      "access-control-allow-headers": ALLOWED_HEADERS,
      "access-control-max-age": "86400",
    },
  });
}

/** Lets a browser client read an answer of `/mcp` (a result, a JSON-RPC error, a 401 or 403 of the gate). */
export function withMcpCors(response: Response): Response {
  response.headers.set("access-control-allow-origin", "*");
  response.headers.set("access-control-expose-headers", EXPOSED_HEADERS);
  return response;
}

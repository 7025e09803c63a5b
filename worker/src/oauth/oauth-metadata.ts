// The discovery documents of a Kiln OAuth server for MCP clients: RFC 9728's protected resource metadata (which
// server signs clients in for a resource) and RFC 8414's authorization server metadata (its endpoints and abilities).

/** RFC 9728's path for the protected resource's metadata (also answered with the resource's path after it). */
export const RESOURCE_METADATA_PATH = "/.well-known/oauth-protected-resource";
/** RFC 8414's path for the authorization server's metadata; each Kiln host is its own issuer. */
export const AUTHORIZATION_METADATA_PATH = "/.well-known/oauth-authorization-server";

/** RFC 8414's document: `endpoints` is the URL the `authorize`, `token` and `register` endpoints hang under. */
export function authorizationServerMetadata(issuer: string, endpoints: string): Record<string, unknown> {
  return {
    issuer,
    authorization_endpoint: `${endpoints}authorize`,
    token_endpoint: `${endpoints}token`,
    registration_endpoint: `${endpoints}register`,
    response_types_supported: ["code"],
    grant_types_supported: ["authorization_code", "refresh_token"],
    code_challenge_methods_supported: ["S256"],
    token_endpoint_auth_methods_supported: ["none"],
  };
}

/** RFC 9728's document: the resource (an MCP endpoint's URL), its name, and the issuer that signs clients in. */
export function protectedResourceMetadata(resource: string, name: string, issuer: string): Record<string, unknown> {
  return {
    resource,
    resource_name: name,
    authorization_servers: [issuer],
    bearer_methods_supported: ["header"],
  };
}

/** A metadata document as served: public, read by browser-based clients too, cached briefly. */
export function metadataAnswer(document: Record<string, unknown>): Response {
  return Response.json(document, { headers: { "access-control-allow-origin": "*", "cache-control": "max-age=300" } });
}

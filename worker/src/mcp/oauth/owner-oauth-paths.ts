// Where Kiln's own OAuth for MCP clients lives on the platform host: the resource is `/mcp`, the endpoints are API
// routes (the front door sends `/api/*` straight to the API), the discovery documents sit at the host's root.
import {
  AUTHORIZATION_METADATA_PATH,
  RESOURCE_METADATA_PATH,
  authorizationServerMetadata,
  metadataAnswer,
  protectedResourceMetadata,
} from "../../oauth/oauth-metadata";

/** The MCP endpoint the tokens are for, as clients are given it (the API's `/api/mcp`). */
export const OWNER_MCP_PATH = "/mcp";
/** Where `authorize`, `token` and `register` are: API routes, so they reach the API without the web UI. */
export const OWNER_OAUTH_PATH = "/api/oauth/";

/** Whether a platform-host path is one of the discovery documents (the control plane hands them to the API). */
export function isOwnerOAuthMetadataPath(path: string): boolean {
  return (
    path === RESOURCE_METADATA_PATH ||
    path === `${RESOURCE_METADATA_PATH}${OWNER_MCP_PATH}` ||
    path === AUTHORIZATION_METADATA_PATH
  );
}

/** The URL a 401 of `/mcp` points clients to (RFC 9728 section 5.1). */
export function ownerResourceMetadataUrl(origin: string): string {
  return `${origin}${RESOURCE_METADATA_PATH}`;
}

/** RFC 9728's document for `<kiln>/mcp`: Kiln's own host signs its clients in. */
export function ownerResourceMetadata(origin: string): Response {
  return metadataAnswer(protectedResourceMetadata(`${origin}${OWNER_MCP_PATH}`, "Kiln", origin));
}

/** RFC 8414's document of Kiln's host as an authorization server, with its endpoints under `/api/oauth/`. */
export function ownerServerMetadata(origin: string): Response {
  return metadataAnswer(authorizationServerMetadata(origin, `${origin}${OWNER_OAUTH_PATH}`));
}

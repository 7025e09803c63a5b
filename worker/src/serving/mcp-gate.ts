// Who is calling an app's `/mcp`: MCP clients carry an OAuth access token (`Authorization: Bearer`), never a cookie,
// so this gate reads the token where the visitor gate reads a session — the same `_kiln_` sessions table of the app
// environment's own database, under a hash of its own — and answers a missing one as the MCP authorization spec
// asks: 401 with the protected resource's metadata URL, from which a client finds the sign-in (`/_kiln/oauth/…`).
import type { Environment } from "../core/env";
import { sha256Hex } from "../core/ids";
import type { AppAccess } from "../core/api-shapes/access";
import { accessVerdict } from "./access-rule";
import { MCP_PATH } from "./app-mcp";
import type { GateOutcome, SessionLookup } from "./visitor-gate";
import { KILN_PATH } from "./visitor-cookie";
import {
  AUTHORIZATION_METADATA_PATH,
  RESOURCE_METADATA_PATH,
  authorizationServerMetadata,
  metadataAnswer,
  protectedResourceMetadata,
} from "../oauth/oauth-metadata";

/** Where Kiln's OAuth endpoints live on an app host: under `/_kiln/`, so they run in the control plane. */
export const OAUTH_PATH = `${KILN_PATH}oauth/`;

/** How an MCP access token is stored and looked up: its SHA-256 (in another domain than a cookie's session). */
export function mcpAccessTokenHash(token: string): Promise<string> {
  return sha256Hex(`mcp-access:${token}`);
}

/** Whether a path is one of the OAuth metadata documents Kiln answers on the host of a version with tools. */
export function isOAuthMetadataPath(path: string): boolean {
  return (
    path === RESOURCE_METADATA_PATH ||
    path === `${RESOURCE_METADATA_PATH}${MCP_PATH}` ||
    path === AUTHORIZATION_METADATA_PATH
  );
}

/** The metadata documents: both derive from the host alone, so they are answered without a lookup. */
export function oauthMetadata(url: URL, appName: string): Response {
  const origin = url.origin;
  return metadataAnswer(
    url.pathname === AUTHORIZATION_METADATA_PATH
      ? authorizationServerMetadata(origin, `${origin}${OAUTH_PATH}`)
      : protectedResourceMetadata(`${origin}${MCP_PATH}`, appName, origin),
  );
}

/**
 * Applies the environment's rule to one MCP request: a public app admits anyone (a valid token still names the
 * caller); otherwise a token must name a visitor the rule admits now. The owner's role passes every rule.
 */
export async function checkMcpCaller(
  request: Request,
  url: URL,
  app: { appId: string; slug: string },
  environment: Environment,
  access: AppAccess,
  sessions: SessionLookup,
): Promise<GateOutcome> {
  const header = request.headers.get("authorization");
  const token = header?.match(/^Bearer\s+([A-Za-z0-9._~+/-]+=*)$/i)?.[1] ?? null;
  const visitor = token ? await sessions(app, environment, await mcpAccessTokenHash(token)) : null;
  // A token that names nobody (expired, revoked, another app's or environment's) is refused even on a public app,
  // so a client learns to get a new one instead of silently acting anonymously.
  if (header !== null && visitor === null) return { pass: false, response: unauthorized(url, "invalid_token") };
  const verdict = accessVerdict(access, { visitor, invited: visitor !== null });
  if (verdict === "allow") return { pass: true, visitor };
  if (verdict === "refuse")
    return {
      pass: false,
      response: Response.json(
        { error: "insufficient_scope", error_description: `${visitor?.email ?? "This account"} may not use this app.` },
        { status: 403, headers: { "cache-control": "no-store" } },
      ),
    };
  return { pass: false, response: unauthorized(url, null) };
}

// The answer that starts an MCP client's OAuth flow (MCP authorization spec, RFC 9728 section 5.1).
function unauthorized(url: URL, error: "invalid_token" | null): Response {
  const metadata = `${url.origin}${RESOURCE_METADATA_PATH}`;
  const challenge = `Bearer resource_metadata="${metadata}"${error ? `, error="${error}"` : ""}`;
  return Response.json(
    { error: error ?? "unauthorized", error_description: "Sign in through this app's OAuth to use its tools." },
    { status: 401, headers: { "www-authenticate": challenge, "cache-control": "no-store" } },
  );
}

import { Hono } from "hono";
import { getCookie } from "hono/cookie";
import { ownerAuthorize } from "../../mcp/oauth/owner-authorize";
import { ownerResourceMetadata, ownerServerMetadata } from "../../mcp/oauth/owner-oauth-paths";
import { ownerRegister, ownerToken } from "../../mcp/oauth/owner-token";
import { sessionCookieName } from "../../core/cookies";
import { withCors } from "../../oauth/oauth-responses";
import type { PlatformContext } from "../context";

const origin = (url: string) => new URL(url).origin;

/**
 * OAuth 2.1 for MCP clients of Kiln's own `/mcp` (MCP authorization spec): the discovery documents (the control
 * plane maps `/.well-known/…` of the platform host here), and `/oauth/register`, `/oauth/authorize`, `/oauth/token`.
 * Public: authorize reads the owner's session cookie itself; register and token take no cookie, so CORS is safe.
 */
export const ownerOAuthRoutes = new Hono<PlatformContext>()
  .get("/.well-known/oauth-protected-resource", (c) => ownerResourceMetadata(origin(c.req.url)))
  .get("/.well-known/oauth-protected-resource/mcp", (c) => ownerResourceMetadata(origin(c.req.url)))
  .get("/.well-known/oauth-authorization-server", (c) => ownerServerMetadata(origin(c.req.url)))
  .options("/oauth/register", () => withCors(new Response(null, { status: 204 })))
  .options("/oauth/token", () => withCors(new Response(null, { status: 204 })))
  .post("/oauth/register", async (c) => withCors(await ownerRegister(c.env.DB, c.req.raw)))
  .post("/oauth/token", async (c) => withCors(await ownerToken(c.env.DB, c.req.raw)))
  .on(["GET", "POST"], "/oauth/authorize", (c) =>
    ownerAuthorize(c.env.DB, c.req.raw, getCookie(c, sessionCookieName(c.req.url)) ?? null),
  );

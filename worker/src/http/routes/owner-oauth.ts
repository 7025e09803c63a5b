import { Hono } from "hono";
import { getCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { ownerAuthorize } from "../../mcp/oauth/owner-authorize";
import { ownerResourceMetadata, ownerServerMetadata } from "../../mcp/oauth/owner-oauth-paths";
import { ownerRegister, ownerToken } from "../../mcp/oauth/owner-token";
import { listOwnerGrants, revokeOwnerGrant } from "../../mcp/oauth/owner-grants";
import { recordAudit } from "../../audit/audit-log";
import { actingUser } from "../../core/acting-user";
import type { McpGrant } from "../../core/api-shapes";
import { sessionCookieName } from "../../core/cookies";
import { ApiError, NotFoundError } from "../../core/errors";
import { withCors } from "../../oauth/oauth-responses";
import type { PlatformContext } from "../context";
import { requireUser } from "../require-user";

const origin = (url: string) => new URL(url).origin;

/**
 * The owner in person (session or API token): requireUser already refuses an MCP client's OAuth token, and this
 * refuses an MCP snippet's in-process call too, so an assistant can neither list nor revoke grants.
 */
const requireOwnerInPerson = createMiddleware<PlatformContext>(async (c, next) => {
  if (actingUser(c.env))
    throw new ApiError(403, "forbidden", "Only you, signed in or with an API token, can manage connected assistants.");
  return requireUser(c, next);
});

/**
 * OAuth 2.1 for MCP clients of Kiln's own `/mcp` (MCP authorization spec): the discovery documents (the control
 * plane maps `/.well-known/…` of the platform host here), and `/oauth/register`, `/oauth/authorize`, `/oauth/token`.
 * Public: authorize reads the owner's session cookie itself; register and token take no cookie, so CORS is safe.
 * `/oauth/grants` lists the owner's connected assistants and revokes one (the owner in person only).
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
  )
  .get("/oauth/grants", requireOwnerInPerson, async (c) =>
    c.json({ grants: await listOwnerGrants(c.env.DB, c.var.user.id) } satisfies { grants: McpGrant[] }),
  )
  .delete("/oauth/grants/:grantId", requireOwnerInPerson, async (c) => {
    const grantId = c.req.param("grantId");
    if (!(await revokeOwnerGrant(c.env.DB, c.var.user.id, grantId))) throw new NotFoundError("This assistant");
    await recordAudit(c.env.DB, { userId: c.var.user.id, action: "mcp_grant.revoke", detail: { grantId } });
    return c.json({ ok: true });
  });

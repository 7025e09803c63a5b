import { getCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import type { PlatformContext } from "./context";
import { ApiError } from "../core/errors";
import { sessionCookieName } from "../core/cookies";
import { TOKEN_PREFIX, userForSession, userForToken } from "../auth/credentials";
import { actingUser } from "../core/acting-user";
import { MCP_ACCESS_PREFIX } from "../mcp/oauth/owner-oauth-store";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Authenticates by `Authorization: Bearer kiln_pat_…` (scripts) or the
 * session cookie (the UI) and sets `c.var.user`; 401 otherwise (403 for an MCP client's `kiln_mcp_…` token). An in-process call acting for a user (an MCP
 * snippet's `kiln.*`, `core/acting-user.ts`) already carries its user.
 */
export const requireUser = createMiddleware<PlatformContext>(async (c, next) => {
  const acting = actingUser(c.env);
  if (acting) {
    c.set("user", acting);
    return next();
  }
  const authorization = c.req.header("authorization");
  if (authorization) {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
    // An MCP client's OAuth token opens `/mcp` only (require-mcp-user.ts), never the rest of the API.
    if (token?.startsWith(MCP_ACCESS_PREFIX))
      throw new ApiError(
        403,
        "forbidden",
        "This token was given to an MCP client and works only at /mcp. Use an API token (POST /api/tokens).",
      );
    const user = token?.startsWith(TOKEN_PREFIX) ? await userForToken(c.env.DB, token) : null;
    if (!user)
      throw new ApiError(401, "unauthorized", "The API token is not valid. Create a new one with POST /api/tokens.");
    c.set("user", user);
    return next();
  }
  // App hosts are same-site with the platform, so SameSite cookies alone do
  // not stop an app's page from posting here: browsers' Origin header does.
  const origin = c.req.header("origin");
  if (!SAFE_METHODS.has(c.req.method) && origin && origin !== new URL(c.req.url).origin) {
    throw new ApiError(403, "forbidden", "Requests from other sites cannot use your Kiln session.");
  }
  const session = getCookie(c, sessionCookieName(c.req.url));
  const user = session ? await userForSession(c.env.DB, session) : null;
  if (!user) throw new ApiError(401, "unauthorized", "Please sign in first.");
  c.set("user", user);
  return next();
});

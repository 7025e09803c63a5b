import { createMiddleware } from "hono/factory";
import { MCP_ACCESS_PREFIX, userForMcpAccessToken } from "../mcp/oauth/owner-oauth-store";
import { ApiError } from "../core/errors";
import type { PlatformContext } from "./context";
import { requireUser } from "./require-user";

/**
 * `requireUser` for `/mcp` alone: it also takes the OAuth access tokens MCP clients get (`kiln_mcp_…`), which every
 * other route refuses, so an assistant's token opens Kiln's MCP server and nothing else.
 */
export const requireMcpUser = createMiddleware<PlatformContext>(async (c, next) => {
  const token = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
  if (!token?.startsWith(MCP_ACCESS_PREFIX)) return requireUser(c, next);
  const user = await userForMcpAccessToken(c.env.DB, token);
  if (!user)
    throw new ApiError(401, "unauthorized", "The access token is expired or unknown. Refresh it, or connect again.");
  c.set("user", user);
  return next();
});

import { createMiddleware } from "hono/factory";
import type { PlatformContext } from "./context";
import { NotFoundError } from "../core/errors";
import { findOwnedApp } from "../apps/app-repository";

/** Loads `:id` into `c.var.app` when the signed-in user owns it; 404 for everyone else. */
export const requireOwnedApp = createMiddleware<PlatformContext>(async (c, next) => {
  const app = await findOwnedApp(c.env.DB, c.var.user.id, c.req.param("id") ?? "");
  if (!app) throw new NotFoundError("This app");
  c.set("app", app);
  return next();
});

import { Hono } from "hono";
import { z } from "zod";
import type { PlatformContext } from "../api/context";
import { parseWith } from "../api/validation";
import { listLogs } from "./log-store";

const querySchema = z.object({
  env: z.enum(["preview", "live"]).optional(),
  requestId: z.string().max(64).optional(),
  level: z.enum(["debug", "info", "log", "warn", "error"]).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** `GET /api/apps/:id/logs`: newest first, filtered by environment, request id or level. */
export const logRoutes = new Hono<PlatformContext>().get("/logs", async (c) => {
  const q = parseWith(querySchema, c.req.query());
  const logs = await listLogs(c.env.DB, c.var.app.id, { environment: q.env, requestId: q.requestId, level: q.level, before: q.before, limit: q.limit });
  return c.json({ logs });
});

import { Hono } from "hono";
import { z } from "zod";
import type { PlatformContext } from "../context";
import { parseWith } from "../validation";
import { listLogs } from "../../logs/log-store";
import type { LogEntry } from "../../core/api-shapes";

const levels = z.enum(["debug", "info", "log", "warn", "error"], "level must be debug, info, log, warn or error");
const querySchema = z.object({
  env: z.enum(["preview", "live"], "env must be preview or live").optional(),
  requestId: z.string().max(64).optional(),
  level: levels.optional(),
  minLevel: levels.optional(),
  before: z.coerce.number().int().positive().optional(),
  after: z.coerce.number().int().min(0, "after must be a log entry id").optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/**
 * `GET /api/apps/:id/logs`: newest first, filtered by environment, request id, exact `level` or
 * `minLevel` (that level and more severe); `before=<id>` pages back, `after=<id>` tails new lines.
 */
export const logRoutes = new Hono<PlatformContext>().get("/logs", async (c) => {
  const q = parseWith(querySchema, c.req.query());
  const logs = await listLogs(c.env.DB, c.var.app.id, {
    environment: q.env,
    requestId: q.requestId,
    level: q.level,
    minLevel: q.minLevel,
    before: q.before,
    after: q.after,
    limit: q.limit,
  });
  return c.json({ logs } satisfies { logs: LogEntry[] });
});

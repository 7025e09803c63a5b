import { Hono } from "hono";
import { z } from "zod";
import type { PlatformContext } from "../context";
import { parseWith } from "../validation";
import { listEgressCalls } from "../../egress/egress-audit";
import type { OutboundCall } from "../../core/api-shapes";

const querySchema = z.object({
  env: z.enum(["preview", "live"]).optional(),
  requestId: z.string().max(64).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** `GET /api/apps/:id/egress`: the app's outbound calls, newest first. */
export const egressRoutes = new Hono<PlatformContext>().get("/egress", async (c) => {
  const q = parseWith(querySchema, c.req.query());
  const calls = await listEgressCalls(c.env.DB, c.var.app.id, {
    environment: q.env,
    requestId: q.requestId,
    before: q.before,
    limit: q.limit,
  });
  return c.json({ calls } satisfies { calls: OutboundCall[] });
});

import { Hono } from "hono";
import { z } from "zod";
import type { PlatformContext } from "../api/context";
import { readJson } from "../api/validation";
import { ApiError } from "../errors";
import { findAppSlug } from "../apps/app-repository";
import { invalidateApp } from "../serving/app-lookup";
import { reportRunnerEvent } from "../runner/runner-losses";
import { recordIncident } from "./incident-store";

const runnerEventSchema = z.object({
  reason: z.enum(["time_budget", "memory_budget", "crash"]),
  at: z.number().int().positive(),
  detail: z.string().max(500).optional(),
});

const incidentSchema = z.object({
  appId: z.string().min(1),
  environment: z.enum(["preview", "live"]),
  version: z.string().min(1),
  requestId: z.string().nullable().default(null),
  reason: z.enum(["time_budget", "memory_budget", "crash"]),
  detail: z.string().max(500).optional(),
});

/**
 * Routes only Kiln's own supervisor may call (shared secret from
 * KILN_INTERNAL_SECRET); without that secret configured they do not exist.
 */
export const internalRoutes = new Hono<PlatformContext>()
  .use(async (c, next) => {
    const secret = c.env.KILN_INTERNAL_SECRET;
    if (!secret || c.req.header("x-kiln-internal-secret") !== secret) throw new ApiError(404, "not_found", "Not found.");
    await next();
  })
  .post("/incidents", async (c) => {
    const incident = await readJson(c, incidentSchema);
    const result = await recordIncident(c.env.DB, incident);
    const slug = await findAppSlug(c.env.DB, incident.appId);
    if (slug) invalidateApp(slug);
    return c.json(result, 201);
  })
  .post("/runner-events", async (c) => {
    reportRunnerEvent(await readJson(c, runnerEventSchema));
    return c.json({ ok: true }, 201);
  });

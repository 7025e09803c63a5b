import { Hono } from "hono";
import { z } from "zod";
import type { PlatformContext } from "../api/context";
import { readJson } from "../api/validation";
import { ApiError } from "../errors";
import { findAppSlug } from "../apps/app-repository";
import { invalidateApp } from "../serving/app-lookup";
import { type RunnerEvent, claimVerdict, judgeRunnerEvent, reportRunnerEvent } from "../runner/runner-losses";
import { recordIncident } from "./incident-store";

const runnerRequestSchema = z.object({
  requestId: z.string(),
  appId: z.string(),
  environment: z.enum(["preview", "live"]),
  version: z.string(),
  startedAt: z.number(),
});
const runnerEventSchema = z.object({
  reason: z.enum(["time_budget", "memory_budget", "crash"]),
  at: z.number().int().positive(),
  detail: z.string().max(500).optional(),
  hungSince: z.number().int().positive().optional(),
  lastHealthyAt: z.number().int().positive().optional(),
  inProgress: z.array(runnerRequestSchema).max(1000).optional(),
  newlyStarted: z.array(z.string()).max(1000).optional(),
  running: z.array(runnerRequestSchema).max(1000).optional(),
  lastEntered: runnerRequestSchema.optional(),
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
    if (!secret || c.req.header("x-kiln-internal-secret") !== secret)
      throw new ApiError(404, "not_found", "Not found.");
    await next();
  })
  .post("/incidents", async (c) => {
    const incident = await readJson(c, incidentSchema);
    const result = await recordIncident(c.env.DB, incident);
    const slug = await findAppSlug(c.env.DB, incident.appId);
    if (slug) invalidateApp(slug);
    return c.json(result, 201);
  })
  // The supervisor asks after a restart: a runner can answer its own health check before this process reaches it.
  .get("/runner-health", async (c) => {
    if (!c.env.RUNNER) throw new ApiError(404, "not_found", "App code runs in this process: there is no runner.");
    const answer = await c.env.RUNNER.fetch("http://runner/health").catch(() => null);
    if (answer?.status !== 200) throw new ApiError(503, "upstream_failed", "The app runner does not answer yet.");
    return c.json({ ok: true });
  })
  .post("/runner-events", async (c) => {
    const event = await readJson(c, runnerEventSchema);
    reportRunnerEvent(event);
    c.executionCtx.waitUntil(chargeCulprit(c.env.DB, event));
    return c.json({ ok: true }, 201);
  });

// After the calls lost in this restart have registered, one incident for the request that caused it.
async function chargeCulprit(db: D1Database, event: RunnerEvent): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 300));
  const verdict = judgeRunnerEvent(event);
  // Builds and warm-ups (no request id) are explained to their caller, not recorded against an app.
  if (!verdict.culprit || verdict.culprit.requestId.startsWith("call_") || !claimVerdict(verdict)) return;
  const { appId, environment, version, requestId } = verdict.culprit;
  await recordIncident(db, { appId, environment, version, requestId, reason: event.reason, detail: event.detail });
  const slug = await findAppSlug(db, appId);
  if (slug) invalidateApp(slug);
}

import { Hono } from "hono";
import { z } from "zod";
import type { PlatformContext } from "../context";
import { readJson } from "../validation";
import type { Env } from "../../core/env";
import { ApiError } from "../../core/errors";
import { findAppSlug } from "../../apps/app-repository";
import { appChanged } from "../../serving/app-lookup";
import { appendLogs } from "../../logs/log-store";
import { localRunner, localRunnerCount } from "../../placement/runner-placement";
import {
  type RunnerEvent,
  claimVerdict,
  judgeRunnerEvent,
  lostHere,
  reportRunnerEvent,
} from "../../incidents/runner-losses";
import { recordIncident } from "../../incidents/incident-store";
import { INTERNAL_SECRET_HEADER } from "../../core/headers";
import { SNIPPET_APP_ID } from "../../core/records";
import { recordFailure } from "../../auth/attempt-limit";
import { snippetKillKey } from "../../mcp/snippet-admission";

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
  runner: z.number().int().min(0).max(1023).optional(),
  detail: z.string().max(500).optional(),
  hungSince: z.number().int().positive().optional(),
  lastHealthyAt: z.number().int().positive().optional(),
  inProgress: z.array(runnerRequestSchema).max(1000).optional(),
  newlyStarted: z.array(z.string()).max(1000).optional(),
  running: z.array(runnerRequestSchema).max(1000).optional(),
  lastEntered: runnerRequestSchema.optional(),
  attributable: z.boolean().optional(),
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
    if (!secret || c.req.header(INTERNAL_SECRET_HEADER) !== secret) throw new ApiError(404, "not_found", "Not found.");
    await next();
  })
  .post("/incidents", async (c) => {
    const incident = await readJson(c, incidentSchema);
    const result = await recordIncident(c.env, incident);
    const slug = await findAppSlug(c.env.DB, incident.appId);
    if (slug) await appChanged(c.env, slug);
    return c.json(result, 201);
  })
  // The supervisor asks after a restart: a runner can answer its own health check before this process reaches it.
  .get("/runner-health", async (c) => {
    const index = Number(c.req.query("runner") ?? "0");
    const count = localRunnerCount(c.env);
    if (count === 0 && !c.env.RUNNER)
      throw new ApiError(404, "not_found", "App code runs in this process: there is no runner.");
    const runner = count > index ? localRunner(c.env, index).runner : index === 0 ? c.env.RUNNER : undefined;
    if (!runner) throw new ApiError(404, "not_found", `There is no runner ${c.req.query("runner")}.`);
    const answer = await runner.fetch("http://runner/health").catch(() => null);
    if (answer?.status !== 200) throw new ApiError(503, "upstream_failed", "The app runner does not answer yet.");
    return c.json({ ok: true });
  })
  .post("/runner-events", async (c) => {
    const event = await readJson(c, runnerEventSchema);
    reportRunnerEvent(event);
    c.executionCtx.waitUntil(chargeCulprit(c.env, event));
    return c.json({ ok: true }, 201);
  });

// After the calls lost in this restart have registered, one incident for the request that caused it.
async function chargeCulprit(env: Env, event: RunnerEvent): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 300));
  const verdict = judgeRunnerEvent(event);
  // Visitors' requests go to the runner without passing here: the marks say which ones the restart cut short.
  // (Calls this process made and lost are logged where they failed, serving/runner-failure.ts.)
  const interrupted = (event.running ?? []).filter(
    (r) => r.requestId !== verdict.culprit?.requestId && !lostHere(r.requestId) && r.appId !== SNIPPET_APP_ID,
  );
  await appendLogs(
    env.DB,
    interrupted.map((r) => ({
      appId: r.appId,
      environment: r.environment,
      version: r.version,
      requestId: r.requestId,
      level: "warn",
      message:
        "Request interrupted: the app runner was restarted because another request stopped it from working; the visitor was asked to retry.",
    })),
  );
  // Builds and warm-ups (no request id) are explained to their caller, not recorded against an app.
  if (!verdict.culprit || verdict.culprit.requestId.startsWith("call_") || !claimVerdict(verdict)) return;
  // An MCP snippet is no app's: its caller is told it was stopped, and its owner's snippets are paused after a few.
  if (verdict.culprit.appId === SNIPPET_APP_ID) {
    await recordFailure(env.DB, [snippetKillKey(verdict.culprit.version)]);
    return;
  }
  const { appId, environment, version, requestId } = verdict.culprit;
  await recordIncident(env, { appId, environment, version, requestId, reason: event.reason, detail: event.detail });
  const slug = await findAppSlug(env.DB, appId);
  if (slug) await appChanged(env, slug);
}

import { Hono } from "hono";
import { z } from "zod";
import type { PlatformContext } from "../context";
import { parseWith } from "../validation";
import { findAppSlug, findOwnedApp } from "../../apps/app-repository";
import { listEgressCalls } from "../../egress/egress-audit";
import { ApiError, NotFoundError } from "../../core/errors";
import { listLogs } from "../../logs/log-store";
import type { RunnerFor } from "../../isolates/app-runner-for";
import { lookupApp } from "../../serving/app-lookup";
import { findVersion } from "../../versions/version-store";
import { findByWebhook, listAutomations } from "../../automations/automation-store";
import { viewAutomation, viewDeclaration } from "../../automations/automation-view";
import { MAX_RUN_DATA_BYTES, findRun, listAttempts, listRuns } from "../../automations/run-store";
import { deliverToWebhook, runByHand } from "../../automations/start-run";
import type { AutomationsOverview, Run, RunDetail, StartedRun, WebhookDelivery } from "../../core/api-shapes";

const runsQuery = z.object({
  automation: z.string().max(64).optional(),
  status: z.enum(["queued", "running", "retrying", "succeeded", "failed", "skipped"]).optional(),
  before: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
const manualQuery = z.object({ env: z.enum(["preview", "live"]).optional() });

/** The owner's side, under `/api/apps/:id`: automations, runs, and starting one by hand. */
export function automationRoutes(runner: RunnerFor) {
  return new Hono<PlatformContext>()
    .get("/automations", async (c) => {
      const now = new Date();
      const live = await listAutomations(c.env.DB, c.var.app.id);
      const preview = c.var.app.previewVersion
        ? await findVersion(c.env.DB, c.var.app.id, c.var.app.previewVersion)
        : null;
      return c.json({
        automations: live.map((automation) => viewAutomation(automation, c.req.url, now)),
        preview: (preview?.automations ?? []).map((declaration) => viewDeclaration(declaration, now)),
      } satisfies AutomationsOverview);
    })
    .get("/runs", async (c) => {
      const q = parseWith(runsQuery, c.req.query());
      return c.json({ runs: await listRuns(c.env.DB, c.var.app.id, q) } satisfies { runs: Run[] });
    })
    .post("/automations/:name/run", async (c) => {
      const { env: environment } = parseWith(manualQuery, c.req.query());
      const input = await readInput(c.req.raw);
      const app = c.var.app;
      const run = await runByHand(
        c.env,
        runner(c.env, c.var.app.slug),
        app,
        c.req.param("name"),
        environment ?? (app.liveVersion ? "live" : "preview"),
        input,
      );
      return c.json({ run, attempts: await listAttempts(c.env.DB, run.id) } satisfies StartedRun, 201);
    });
}

/** `GET /api/runs/:runId`: one run with its attempts, the app's log lines and outbound calls of each attempt. */
export const runRoutes = new Hono<PlatformContext>().get("/:runId", async (c) => {
  const run = await findRun(c.env.DB, c.req.param("runId"));
  if (!run || !(await findOwnedApp(c.env.DB, c.var.user.id, run.appId))) throw new NotFoundError("This run");
  const attempts = await listAttempts(c.env.DB, run.id);
  const perAttempt = await Promise.all(
    attempts.map(async (attempt) => ({
      logs: await listLogs(c.env.DB, run.appId, { requestId: attempt.requestId, limit: 200 }),
      egress: await listEgressCalls(c.env.DB, run.appId, { requestId: attempt.requestId, limit: 200 }),
    })),
  );
  return c.json({
    run,
    attempts: attempts.map((attempt, index) => ({
      ...attempt,
      logs: perAttempt[index]!.logs.reverse(),
      egress: perAttempt[index]!.egress.reverse(),
    })),
  } satisfies RunDetail);
});

/** Deliveries: `POST /api/hooks/automations/:webhookId`, no session; the URL's id is the secret. */
export const automationHookRoutes = new Hono<PlatformContext>().post("/automations/:webhookId", async (c) => {
  const automation = await findByWebhook(c.env.DB, c.req.param("webhookId"));
  if (!automation) throw new NotFoundError("This webhook");
  const slug = await findAppSlug(c.env.DB, automation.appId);
  const app = slug ? await lookupApp(c.env.DB, slug) : null;
  if (!app?.liveVersion)
    throw new ApiError(503, "internal", "This app has no live version to hand the delivery to; try again later.");
  if (app.quarantined.includes(app.liveVersion)) {
    throw new ApiError(
      503,
      "internal",
      "This app is paused because it stopped working properly; its owner has been told. Try again later.",
    );
  }
  const input = await readInput(c.req.raw);
  const { run, duplicate } = await deliverToWebhook(c.env, automation, c.req.raw.headers, input);
  return c.json({ runId: run.id, status: run.status, duplicate } satisfies WebhookDelivery, duplicate ? 200 : 202);
});

// A JSON body is the run's input as is; any other text is passed as a string.
async function readInput(request: Request): Promise<unknown> {
  const text = await request.text();
  if (new TextEncoder().encode(text).byteLength > MAX_RUN_DATA_BYTES) {
    throw new ApiError(413, "payload_too_large", `A run's input may be at most ${MAX_RUN_DATA_BYTES / 1024} KB.`);
  }
  if (text.trim() === "") return null;
  if ((request.headers.get("content-type") ?? "").includes("json")) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new ApiError(400, "bad_request", "The body says it is JSON but is not valid JSON.");
    }
  }
  return text;
}

import type { AppHost } from "../apps/app-urls";
import type { Env } from "../env";
import { recordIncident } from "../incidents/incident-store";
import { appendLogs } from "../logs/log-store";
import { RunnerDeadlineError, RunnerLostError } from "../runner/remote-runner";
import { isCulprit, reasonForLoss } from "../runner/runner-losses";
import { invalidateApp } from "./app-lookup";
import { visitorPage } from "./pages";

/** Which app request a runner failure happened in. */
export interface FailedRequest {
  appId: string;
  slug: string;
  host: AppHost;
  version: string;
  requestId: string;
}

/**
 * Turns a lost or overdue runner call into a visitor page, and records it:
 * the request that brought the runner down becomes an incident with the
 * supervisor's reason; requests merely caught in the restart are logged.
 * Returns null for errors that are not about the runner.
 */
export function runnerFailureResponse(error: unknown, env: Env, ctx: ExecutionContext, failed: FailedRequest): Response | null {
  const base = { appId: failed.appId, environment: failed.host.environment, version: failed.version, requestId: failed.requestId };
  if (error instanceof RunnerDeadlineError) {
    ctx.waitUntil(appendLogs(env.DB, [{ ...base, level: "error", message: `Request failed: ${error.message} Kiln stopped waiting for it.` }]));
    return visitorPage(504, "This app took too long", "It did not answer in time. Try again in a moment.", failed.requestId);
  }
  if (!(error instanceof RunnerLostError)) return null;
  if (isCulprit(error.call)) {
    ctx.waitUntil(
      (async () => {
        const event = await reasonForLoss(error.call.startedAt);
        await recordIncident(env.DB, { ...base, reason: event.reason, detail: event.detail });
        invalidateApp(failed.slug);
      })(),
    );
  } else {
    ctx.waitUntil(
      appendLogs(env.DB, [{ ...base, level: "warn", message: "Request interrupted: the app runner was restarted because another request stopped it from working; the visitor was asked to retry." }]),
    );
  }
  const page = visitorPage(503, "This app is restarting", "Something stopped it while it handled your request. Try again in a moment.", failed.requestId);
  page.headers.set("retry-after", "2");
  return page;
}

import type { Env } from "../core/env";
import { appendLogs } from "../logs/log-store";
import { RunnerDeadlineError, RunnerLostError } from "../isolates/remote-runner";
import { chargesCall, explainLoss, noteLostCall } from "../incidents/runner-losses";
import { restartingPage, visitorPage } from "./pages";
import type { FailedRequest } from "./serve-app";

/**
 * Turns a lost or overdue runner call into a visitor page. The incident of
 * the request that brought the runner down is recorded when the supervisor's
 * report arrives (incidents/internal-routes.ts); requests merely caught in
 * the restart are logged as interrupted. Returns null for other errors.
 */
export function runnerFailureResponse(
  error: unknown,
  env: Env,
  ctx: ExecutionContext,
  failed: FailedRequest,
): Response | null {
  const base = {
    appId: failed.appId,
    environment: failed.host.environment,
    version: failed.version,
    requestId: failed.requestId,
  };
  if (error instanceof RunnerDeadlineError) {
    ctx.waitUntil(
      appendLogs(env.DB, [
        { ...base, level: "error", message: `Request failed: ${error.message} Kiln stopped waiting for it.` },
      ]),
    );
    return visitorPage(
      504,
      "This app took too long",
      "It did not answer in time. Try again in a moment.",
      failed.requestId,
    );
  }
  if (!(error instanceof RunnerLostError)) return null;
  noteLostCall(error.call);
  ctx.waitUntil(
    (async () => {
      const verdict = await explainLoss(error.call);
      if (chargesCall(verdict, error.call)) return;
      await appendLogs(env.DB, [
        {
          ...base,
          level: "warn",
          message:
            "Request interrupted: the app runner was restarted because another request stopped it from working; the visitor was asked to retry.",
        },
      ]);
    })(),
  );
  return restartingPage(failed.requestId);
}

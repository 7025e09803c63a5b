// One attempt of a recorded run: find the version that should run it, claim
// the attempt (so a duplicate dispatch does nothing), run it in the app's
// isolate, and record how it ended, with a retry time while attempts remain.
import { raiseAlert, resolveAlert } from "../alerts/alert-digest";
import { findAppSlug } from "../apps/app-repository";
import type { Env } from "../core/env";
import { appendLogs } from "../logs/log-store";
import type { AppRunner } from "../isolates/app-runner";
import { lookupApp } from "../serving/app-lookup";
import { servedConnectors, servedVersion } from "../serving/served-app";
import { recordSlotOutcome } from "./automation-store";
import { type AppEventResult, sendAppEvent } from "../isolates/app-event";
import { type RunRecord, claimAttempt, finishAttempt, findRun } from "./run-store";

/** First retry waits this long; each next one twice as long (overridable with KILN_AUTOMATION_RETRY_SECONDS). */
export const DEFAULT_RETRY_SECONDS = 30;

/** What the dispatcher needs to know after an attempt: when to try again, if at all. */
export interface ExecutionOutcome {
  run: RunRecord | null;
  retryAt: Date | null;
}

/**
 * Runs the next attempt of `runId` if it is due. A run whose app has no
 * version to run it, or whose version is paused or no longer declares the
 * automation, fails at once in words (no retry can fix that).
 */
export async function executeRun(
  env: Env,
  runnerFor: (slug: string) => AppRunner,
  runId: string,
  clock: () => Date = () => new Date(),
): Promise<ExecutionOutcome> {
  const pending = await findRun(env.DB, runId);
  if (!pending || (pending.status !== "queued" && pending.status !== "retrying"))
    return { run: pending, retryAt: null };
  const slug = await findAppSlug(env.DB, pending.appId);
  const app = slug ? await lookupApp(env.DB, slug) : null;
  const version = app ? servedVersion(app, pending.environment) : null;
  const claimed = await claimAttempt(env.DB, runId, version ?? "-", clock());
  if (!claimed) return { run: await findRun(env.DB, runId), retryAt: null };
  const { run, requestId } = claimed;
  let result: AppEventResult;
  if (!app || !slug || !version) {
    result = { ok: false, error: `the app has no ${run.environment} version to run it`, final: true };
  } else if (app.quarantined.includes(version)) {
    result = {
      ok: false,
      error: `version ${version} is paused because it stopped the app runner; publish a fixed version (or resume it) to run automations again`,
      final: true,
    };
  } else {
    const target = {
      appId: run.appId,
      environment: run.environment,
      version,
      config: app.config,
      connectors: servedConnectors(app, run.environment),
    };
    // `run` is what the app's handler receives (`AutomationRun` in the kiln SDK).
    const info = {
      name: run.automation,
      trigger: run.trigger,
      scheduledAt: run.scheduledAt,
      attempt: run.attempt,
      idempotencyKey: run.idempotencyKey,
      input: run.input,
    };
    result = await sendAppEvent(
      env,
      runnerFor(slug),
      target,
      slug,
      "automation",
      { name: run.automation, run: info },
      requestId,
    );
  }
  if (result.ok) {
    await finishAttempt(env.DB, run, { ok: true, output: result.output }, clock());
    if (run.trigger === "cron") await recordSlotOutcome(env.DB, run.appId, run.automation, null);
    // A live run that works again ends the failure alerts' streak (the owner hears it recovered).
    if (run.environment === "live")
      await resolveAlert(env, { kind: "automation_failed", appId: run.appId, subject: run.automation }, clock());
    return { run: await findRun(env.DB, run.id), retryAt: null };
  }
  const retryAt = await recordFailedAttempt(env, run, requestId, result, clock());
  return { run: await findRun(env.DB, run.id), retryAt };
}

/**
 * Records that the current attempt of `run` failed: it is retried after the
 * backoff while attempts remain (never a manual run, nor a `final` failure no
 * retry can fix), the owner's logs say so, a slot's last failure counts
 * towards "failing", and a final failure alerts the owner. Answers when the next attempt is due, if there is one.
 */
export async function recordFailedAttempt(
  env: Env,
  run: RunRecord,
  requestId: string | null,
  failure: { error: string; final: boolean },
  now: Date,
): Promise<Date | null> {
  const retries = !failure.final && run.trigger !== "manual";
  const retryAt =
    retries && run.attempt < run.maxAttempts ? new Date(now.getTime() + backoffMs(env, run.attempt)) : null;
  await finishAttempt(env.DB, run, { ok: false, error: failure.error, retryAt }, now);
  const next = retryAt ? ` Kiln tries again at ${retryAt.toISOString()}.` : retries ? " No attempts are left." : "";
  await appendLogs(env.DB, [
    {
      appId: run.appId,
      environment: run.environment,
      version: run.version ?? "-",
      requestId,
      level: "error",
      message: `Automation "${run.automation}" failed (attempt ${run.attempt} of ${run.trigger === "manual" ? 1 : run.maxAttempts}): ${failure.error}.${next}`,
    },
  ]);
  if (!retryAt && run.trigger === "cron") await recordSlotOutcome(env.DB, run.appId, run.automation, failure.error);
  // A live run that failed for good alerts its owner (at once, or in the hour's digest); a manual run's failure is
  // already on the owner's screen.
  if (!retryAt && run.trigger !== "manual" && run.environment === "live")
    await raiseAlert(
      env,
      { kind: "automation_failed", appId: run.appId, subject: run.automation, detail: failure.error },
      now,
    );
  return retryAt;
}

/** Wait before the attempt after `attempt`: the base, doubled per attempt already made. */
export function backoffMs(env: Pick<Env, "KILN_AUTOMATION_RETRY_SECONDS">, attempt: number): number {
  const base = Number(env.KILN_AUTOMATION_RETRY_SECONDS ?? DEFAULT_RETRY_SECONDS);
  const seconds = Number.isFinite(base) && base >= 0 ? base : DEFAULT_RETRY_SECONDS;
  return seconds * 1000 * 2 ** (attempt - 1);
}

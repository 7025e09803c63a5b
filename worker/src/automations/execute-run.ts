// One attempt of a recorded run: find the version that should run it, claim
// the attempt (so a duplicate dispatch does nothing), run it in the app's
// isolate, and record how it ended, with a retry time while attempts remain.
import { findAppSlug } from "../apps/app-repository";
import type { Env } from "../env";
import { appendLogs } from "../logs/log-store";
import type { AppRunner } from "../runner/app-runner";
import { lookupApp, servedConnectors, servedVersion } from "../serving/app-lookup";
import { findVersion } from "../versions/version-store";
import { recordSlotOutcome } from "./automation-store";
import { invokeAutomation } from "./invoke-automation";
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
export async function executeRun(env: Env, runner: AppRunner, runId: string, clock: () => Date = () => new Date()): Promise<ExecutionOutcome> {
  const pending = await findRun(env.DB, runId);
  if (!pending || (pending.status !== "queued" && pending.status !== "retrying")) return { run: pending, retryAt: null };
  const slug = await findAppSlug(env.DB, pending.appId);
  const app = slug ? await lookupApp(env.DB, slug) : null;
  const version = app ? servedVersion(app, pending.environment) : null;
  const claimed = await claimAttempt(env.DB, runId, version ?? "-", clock());
  if (!claimed) return { run: await findRun(env.DB, runId), retryAt: null };
  const { run, requestId } = claimed;
  const refusal = !app || !slug || !version ? `the app has no ${run.environment} version to run it` : await refusalFor(env, app.quarantined, run, version);
  if (refusal !== null) return finish(env, run, requestId, { ok: false, error: refusal, final: true }, clock);
  const target = { appId: run.appId, environment: run.environment, version: version!, config: app!.config, connectors: servedConnectors(app!, run.environment) };
  const info = { name: run.automation, trigger: run.trigger, scheduledAt: run.scheduledAt, attempt: run.attempt, idempotencyKey: run.idempotencyKey, input: run.input };
  const result = await invokeAutomation(env, runner, target, slug!, info, requestId);
  return finish(env, run, requestId, result.ok ? result : { ...result, final: false }, clock);
}

// Why this version may not run the automation at all, or null.
async function refusalFor(env: Env, quarantined: string[], run: RunRecord, version: string): Promise<string | null> {
  if (quarantined.includes(version)) {
    return `version ${version} is paused because it stopped the app runner; publish a fixed version (or resume it) to run automations again`;
  }
  const record = await findVersion(env.DB, run.appId, version);
  if (!record?.automations.some((a) => a.name === run.automation)) return `version ${version} no longer has an automation named "${run.automation}"`;
  return null;
}

async function finish(
  env: Env,
  run: RunRecord,
  requestId: string,
  result: { ok: true; output: unknown } | { ok: false; error: string; final: boolean },
  clock: () => Date,
): Promise<ExecutionOutcome> {
  const now = clock();
  const log = { appId: run.appId, environment: run.environment, version: run.version ?? "-", requestId };
  if (result.ok) {
    await finishAttempt(env.DB, run, { ok: true, output: result.output }, now);
    if (run.trigger === "cron") await recordSlotOutcome(env.DB, run.appId, run.automation, null);
    return { run: await findRun(env.DB, run.id), retryAt: null };
  }
  const retryAt = !result.final && run.trigger !== "manual" && run.attempt < run.maxAttempts ? new Date(now.getTime() + backoffMs(env, run.attempt)) : null;
  await finishAttempt(env.DB, run, { ok: false, error: result.error, retryAt }, now);
  const next = retryAt ? ` Kiln tries again at ${retryAt.toISOString()}.` : !result.final && run.trigger !== "manual" ? " No attempts are left." : "";
  await appendLogs(env.DB, [
    { ...log, level: "error", message: `Automation "${run.automation}" failed (attempt ${run.attempt} of ${run.trigger === "manual" ? 1 : run.maxAttempts}): ${result.error}.${next}` },
  ]);
  if (!retryAt && run.trigger === "cron") await recordSlotOutcome(env.DB, run.appId, run.automation, result.error);
  return { run: await findRun(env.DB, run.id), retryAt };
}

/** Wait before the attempt after `attempt`: the base, doubled per attempt already made. */
export function backoffMs(env: Pick<Env, "KILN_AUTOMATION_RETRY_SECONDS">, attempt: number): number {
  const base = Number(env.KILN_AUTOMATION_RETRY_SECONDS ?? DEFAULT_RETRY_SECONDS);
  const seconds = Number.isFinite(base) && base >= 0 ? base : DEFAULT_RETRY_SECONDS;
  return seconds * 1000 * 2 ** (attempt - 1);
}

// Runs started from outside the schedule: by the owner (manual) or by a
// webhook delivery. Both are recorded like a cron slot; a manual run is
// waited for, a delivery is answered at once and runs through the dispatcher.
import type { AppRecord } from "../core/records";
import type { Env, Environment } from "../core/env";
import { ApiError, NotFoundError } from "../core/errors";
import type { AppRunner } from "../isolates/app-runner";
import { type ScheduledAutomation, automationsOfVersion } from "./automation-store";
import { dispatchRuns } from "./dispatcher";
import { executeRun } from "./execute-run";
import { type RunRecord, findRun, findRunByKey, insertRun } from "./run-store";
import { servedVersion } from "../serving/served-app";

/**
 * Runs an automation of the version `environment` serves now, once (no
 * retries: the owner sees the outcome and decides), and answers with the
 * finished run.
 */
export async function runByHand(
  env: Env,
  runner: AppRunner,
  app: AppRecord,
  name: string,
  environment: Environment,
  input: unknown,
): Promise<RunRecord> {
  const version = servedVersion(app, environment);
  if (!version)
    throw new ApiError(
      409,
      "conflict",
      environment === "live"
        ? "This app is not published yet: publish it, or run the automation on preview."
        : "This app has no preview version yet.",
    );
  const declared = await automationsOfVersion(env.DB, app.id, version);
  if (!declared?.some((a) => a.name === name))
    throw new NotFoundError(`An automation named "${name}" in the ${environment} version`);
  const { id, statement } = insertRun(
    env.DB,
    {
      appId: app.id,
      environment,
      automation: name,
      trigger: "manual",
      triggerKey: `manual:${crypto.randomUUID()}`,
      scheduledAt: null,
      status: "queued",
      maxAttempts: 1,
      input: input ?? null,
    },
    new Date(),
  );
  await statement.run();
  const { run } = await executeRun(env, () => runner, id);
  return run ?? (await findRun(env.DB, id))!;
}

/** Ids a sender may give a delivery so a resent one is not run twice. */
const DELIVERY_ID_HEADERS = ["idempotency-key", "x-delivery-id", "x-request-id"];

/** What a webhook delivery is answered. */
export interface DeliveryAnswer {
  run: RunRecord;
  duplicate: boolean;
}

/**
 * Records a delivery to an automation's webhook as a run and starts it.
 * The delivery's own id (first of DELIVERY_ID_HEADERS) makes a resent
 * delivery a duplicate; without one, every delivery is a run of its own.
 */
export async function deliverToWebhook(
  env: Env,
  automation: ScheduledAutomation,
  headers: Headers,
  input: unknown,
): Promise<DeliveryAnswer> {
  const given = DELIVERY_ID_HEADERS.map((name) => headers.get(name)).find(
    (value) => value !== null && value.length > 0 && value.length <= 200,
  );
  const triggerKey = `webhook:${given ?? crypto.randomUUID()}`;
  const base = { appId: automation.appId, environment: "live" as const, automation: automation.name };
  const { id, statement } = insertRun(
    env.DB,
    {
      ...base,
      trigger: "webhook",
      triggerKey,
      scheduledAt: null,
      status: "queued",
      maxAttempts: automation.attempts,
      input,
    },
    new Date(),
  );
  const inserted = await statement.run();
  if (inserted.meta.changes !== 1) {
    const earlier = await findRunByKey(env.DB, base.appId, "live", base.automation, triggerKey);
    if (earlier) return { run: earlier, duplicate: true };
  }
  await dispatchRuns(env, [{ id, appId: base.appId, automation: base.automation }]);
  return { run: (await findRun(env.DB, id))!, duplicate: false };
}

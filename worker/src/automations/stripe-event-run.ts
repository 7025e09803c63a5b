// A Stripe webhook delivery is a run too (automation "onStripeEvent", trigger
// "webhook"), keyed by the event id, so the owner sees it beside the other
// runs with its outcome and outbound calls. Stripe, not Kiln, retries a failed
// delivery; its next delivery is the run's next attempt.
import type { Environment } from "../core/env";
import { type RunRecord, claimAttempt, finishAttempt, insertRun } from "./run-store";

/** The name Stripe deliveries are recorded under. */
export const STRIPE_EVENT_AUTOMATION = "onStripeEvent";

/** Records (or reopens, on Stripe's retry) the run of one event and takes its next attempt. */
export async function openStripeEventRun(
  db: D1Database,
  where: { appId: string; environment: Environment; version: string },
  event: { id: string; type: string },
  now: Date,
): Promise<{ run: RunRecord; requestId: string } | null> {
  const triggerKey = `stripe:${event.id}`;
  const { id, statement } = insertRun(
    db,
    {
      appId: where.appId,
      environment: where.environment,
      automation: STRIPE_EVENT_AUTOMATION,
      trigger: "webhook",
      triggerKey,
      scheduledAt: null,
      status: "queued",
      maxAttempts: 1,
      input: event,
    },
    now,
  );
  const inserted = await statement.run();
  let runId = id;
  if (inserted.meta.changes !== 1) {
    const reopened = await db
      .prepare(
        `UPDATE automation_runs SET status = 'queued', max_attempts = attempt + 1, ended_at = NULL
         WHERE app_id = ? AND environment = ? AND automation = ? AND trigger_key = ? AND status = 'failed' RETURNING id`,
      )
      .bind(where.appId, where.environment, STRIPE_EVENT_AUTOMATION, triggerKey)
      .first<{ id: string }>();
    if (!reopened) return null;
    runId = reopened.id;
  }
  return claimAttempt(db, runId, where.version, now);
}

/** Records how the delivery went. */
export async function closeStripeEventRun(
  db: D1Database,
  run: RunRecord,
  outcome: { handled: boolean } | { error: string },
  now: Date,
): Promise<void> {
  await finishAttempt(
    db,
    run,
    "error" in outcome ? { ok: false, error: outcome.error, retryAt: null } : { ok: true, output: outcome },
    now,
  );
}

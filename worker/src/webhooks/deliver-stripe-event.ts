import { findAppSlug } from "../apps/app-repository";
import type { Env } from "../core/env";
import type { ErrorCode, ErrorStatus } from "../core/errors";
import { newId } from "../core/ids";
import { appendLogs } from "../logs/log-store";
import type { AppRunner } from "../isolates/app-runner";
import { sendAppEvent } from "../isolates/app-event";
import { lookupApp } from "../serving/app-lookup";
import { servedConnectors, servedVersion } from "../serving/served-app";
import { closeStripeEventRun, openStripeEventRun } from "../automations/stripe-event-run";
import { claimEvent, completeEvent, releaseEvent } from "./stripe-event-ledger";
import { StripeSignatureError, type VerifiedStripeEvent, verifyStripeEvent } from "./stripe-signature";
import { findStripeWebhook, stripeWebhookSecret } from "./stripe-webhook-store";

/** Largest event body accepted (Stripe's events are a few kilobytes). */
export const MAX_EVENT_BYTES = 1024 * 1024;

/** What Stripe is answered: a 2xx stops its retries, anything else makes it try again later. */
export interface DeliveryOutcome {
  status: 200 | ErrorStatus;
  body: Record<string, unknown>;
}

const refuse = (status: ErrorStatus, code: ErrorCode, message: string): DeliveryOutcome => ({
  status,
  body: { error: { code, message } },
});

/**
 * One delivery from Stripe to an app's endpoint: verified, deduplicated by
 * event id, then handed to the `onStripeEvent` export of the version that
 * environment serves. A failure in the app gives the claim back, so Stripe's
 * retry is delivered; a success or a version with no handler is final.
 */
export async function deliverStripeEvent(
  env: Env,
  runnerFor: (slug: string) => AppRunner,
  webhookId: string,
  rawBody: string,
  signature: string | null,
): Promise<DeliveryOutcome> {
  if (rawBody.length > MAX_EVENT_BYTES)
    return refuse(413, "payload_too_large", "This event is larger than 1 MB; Stripe events are never this large.");
  const webhook = await findStripeWebhook(env.DB, webhookId);
  if (!webhook) return refuse(404, "not_found", "There is no Stripe webhook endpoint at this address.");
  const where = { appId: webhook.appId, environment: webhook.environment, requestId: null };
  let event: VerifiedStripeEvent;
  try {
    event = await verifyStripeEvent(rawBody, signature, await stripeWebhookSecret(env, webhook));
  } catch (error) {
    if (!(error instanceof StripeSignatureError)) throw error;
    await appendLogs(env.DB, [
      {
        ...where,
        version: "-",
        level: "warn",
        message: `Refused a Stripe webhook delivery: ${error.message}. Check that the endpoint's signing secret in Kiln is the one Stripe shows for it.`,
      },
    ]);
    return refuse(400, "bad_request", `This request is not a valid Stripe event for this endpoint: ${error.message}.`);
  }
  const claim = await claimEvent(env.DB, webhook.id, event.id, event.type);
  if (claim === "duplicate") return { status: 200, body: { received: true, duplicate: true } };
  if (claim === "in_progress")
    return refuse(409, "conflict", "This event is being delivered right now; Stripe will retry.");
  const slug = await findAppSlug(env.DB, webhook.appId);
  const app = slug ? await lookupApp(env.DB, slug) : null;
  const version = app ? servedVersion(app, webhook.environment) : null;
  if (!app || !version || app.quarantined.includes(version)) {
    await releaseEvent(env.DB, webhook.id, event.id);
    return refuse(
      503,
      "internal",
      `This app has no working ${webhook.environment} version to hand the event to; Stripe will retry.`,
    );
  }
  const opened = await openStripeEventRun(
    env.DB,
    { appId: app.appId, environment: webhook.environment, version },
    { id: event.id, type: event.type },
    new Date(),
  );
  const requestId = opened?.requestId ?? newId("req");
  const log = { ...where, version, requestId };
  const target = {
    appId: app.appId,
    environment: webhook.environment,
    version,
    config: app.config,
    connectors: servedConnectors(app, webhook.environment),
  };
  const result = await sendAppEvent(env, runnerFor(app.slug), target, app.slug, "stripe", event.payload, requestId);
  if (!result.ok) {
    await releaseEvent(env.DB, webhook.id, event.id);
    if (opened) await closeStripeEventRun(env.DB, opened.run, { error: result.error }, new Date());
    await appendLogs(env.DB, [
      {
        ...log,
        level: "error",
        message: `Stripe event ${event.type} (${event.id}) failed in onStripeEvent: ${result.error}. Stripe will send it again later.`,
      },
    ]);
    return refuse(500, "internal", "The app could not handle this event; Stripe will retry it.");
  }
  const handled = (result.output as { handled?: unknown } | null)?.handled === true;
  if (opened) await closeStripeEventRun(env.DB, opened.run, { handled }, new Date());
  await completeEvent(env.DB, webhook.id, event.id, handled ? "delivered" : "no_handler");
  if (!handled) {
    await appendLogs(env.DB, [
      {
        ...log,
        level: "warn",
        message: `Stripe event ${event.type} (${event.id}) arrived, but this version exports no onStripeEvent, so nothing handled it.`,
      },
    ]);
  }
  return { status: 200, body: { received: true, handled } };
}

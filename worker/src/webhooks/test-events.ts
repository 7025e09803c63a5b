// "Send a test event": a Stripe event of a chosen type, shaped as Stripe sends it (API version, object fields an
// app reads), signed with the endpoint's own secret and delivered through the same path as Stripe's deliveries, so
// the owner and the model see `onStripeEvent` work before a real payment.
import Stripe from "stripe";
import { STRIPE_API_VERSION } from "../../../connectors/stripe/api-version";
import type { StripeTestEventType } from "../core/api-shapes/webhooks";
import type { Env, Environment } from "../core/env";
import type { AppRunner } from "../isolates/app-runner";
import { type DeliveryOutcome, deliverStripeEvent } from "./deliver-stripe-event";
import { listStripeWebhooks, saveStripeWebhook, stripeWebhookSecret } from "./stripe-webhook-store";

const randomPart = () => crypto.randomUUID().replace(/-/g, "").slice(0, 24);

/** A plausible object of each type, as a test-mode account would hold it; `overrides` replace top-level fields. */
export function testEventObject(
  type: StripeTestEventType,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const created = Math.floor(Date.now() / 1000);
  const customer = `cus_test${randomPart().slice(0, 14)}`;
  const email = "jenny.rosen@example.com";
  const base: Record<StripeTestEventType, Record<string, unknown>> = {
    "checkout.session.completed": {
      id: `cs_test_${randomPart()}`,
      object: "checkout.session",
      mode: "payment",
      status: "complete",
      payment_status: "paid",
      amount_subtotal: 2500,
      amount_total: 2500,
      currency: "usd",
      customer,
      customer_email: email,
      customer_details: { email, name: "Jenny Rosen", phone: null, address: null, tax_exempt: "none", tax_ids: [] },
      client_reference_id: null,
      payment_intent: `pi_test_${randomPart()}`,
      payment_link: null,
      subscription: null,
      invoice: null,
      metadata: {},
      created,
      livemode: false,
      url: null,
    },
    "payment_intent.succeeded": {
      id: `pi_test_${randomPart()}`,
      object: "payment_intent",
      amount: 2500,
      amount_received: 2500,
      currency: "usd",
      status: "succeeded",
      customer,
      receipt_email: email,
      latest_charge: `ch_test_${randomPart()}`,
      description: null,
      metadata: {},
      created,
      livemode: false,
    },
    "charge.refunded": {
      id: `ch_test_${randomPart()}`,
      object: "charge",
      amount: 2500,
      amount_captured: 2500,
      amount_refunded: 2500,
      refunded: true,
      paid: true,
      status: "succeeded",
      currency: "usd",
      customer,
      receipt_email: email,
      billing_details: { email, name: "Jenny Rosen", phone: null, address: null },
      payment_intent: `pi_test_${randomPart()}`,
      metadata: {},
      created,
      livemode: false,
    },
    "invoice.paid": invoice("paid", customer, email, created),
    "invoice.payment_failed": invoice("open", customer, email, created),
    "customer.subscription.created": subscription("active", customer, created),
    "customer.subscription.deleted": subscription("canceled", customer, created),
  };
  return { ...base[type], ...overrides };
}

function invoice(status: "paid" | "open", customer: string, email: string, created: number): Record<string, unknown> {
  const paid = status === "paid";
  return {
    id: `in_test_${randomPart()}`,
    object: "invoice",
    status,
    customer,
    customer_email: email,
    customer_name: "Jenny Rosen",
    currency: "usd",
    total: 1500,
    amount_due: 1500,
    amount_paid: paid ? 1500 : 0,
    amount_remaining: paid ? 0 : 1500,
    attempt_count: paid ? 1 : 2,
    hosted_invoice_url: "https://invoice.stripe.com/i/acct_test/test",
    billing_reason: "subscription_cycle",
    number: "KILN-0001",
    metadata: {},
    created,
    livemode: false,
  };
}

function subscription(status: "active" | "canceled", customer: string, created: number): Record<string, unknown> {
  return {
    id: `sub_test_${randomPart()}`,
    object: "subscription",
    status,
    customer,
    cancel_at_period_end: false,
    canceled_at: status === "canceled" ? created : null,
    ended_at: status === "canceled" ? created : null,
    currency: "usd",
    metadata: {},
    created,
    livemode: false,
  };
}

/** The whole event as Stripe posts it. */
export function testEvent(type: StripeTestEventType, object: Record<string, unknown>): Record<string, unknown> {
  return {
    id: `evt_test_${randomPart()}`,
    object: "event",
    api_version: STRIPE_API_VERSION,
    created: Math.floor(Date.now() / 1000),
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  };
}

/** What a test delivery did: the endpoint (made now if the environment had none) and Kiln's answer to "Stripe". */
export interface TestDelivery {
  webhookId: string;
  /** A Kiln-made signing secret was set, because the environment had no endpoint yet. */
  createdEndpoint: boolean;
  event: Record<string, unknown>;
  outcome: DeliveryOutcome;
}

/**
 * Signs a test event with the environment's endpoint secret and delivers it through `deliverStripeEvent`, the path
 * Stripe's own deliveries take (signature check, claim once, `onStripeEvent`, a recorded run). An environment with no
 * endpoint gets one with a Kiln-made secret: real Stripe deliveries need the owner to paste Stripe's secret later.
 */
export async function sendStripeTestEvent(
  env: Env,
  runnerFor: (slug: string) => AppRunner,
  app: { id: string; ownerId: string },
  environment: Environment,
  type: StripeTestEventType,
  overrides: Record<string, unknown> = {},
): Promise<TestDelivery> {
  let webhook = (await listStripeWebhooks(env.DB, app.id)).find((w) => w.environment === environment);
  let createdEndpoint = false;
  let secret: string | null = null;
  if (!webhook) {
    secret = `whsec_kiln${randomPart()}${randomPart()}`;
    webhook = await saveStripeWebhook(env, app.ownerId, app.id, environment, secret);
    createdEndpoint = true;
  }
  secret ??= await stripeWebhookSecret(env, { id: webhook.id, ownerId: app.ownerId });
  const event = testEvent(type, testEventObject(type, overrides));
  const payload = JSON.stringify(event);
  const signature = await Stripe.webhooks.generateTestHeaderStringAsync({ payload, secret });
  const outcome = await deliverStripeEvent(env, runnerFor, webhook.id, payload, signature);
  return { webhookId: webhook.id, createdEndpoint, event, outcome };
}

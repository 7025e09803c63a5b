// Test setup for Stripe templates: the owner connects the Stripe fake, sets the
// app's webhook secret, and Stripe's signed event deliveries are played to Kiln.
import { env, SELF } from "cloudflare:test";
import Stripe from "stripe";
import { expect } from "vitest";
import { FAKE_STRIPE_SECRET_KEY } from "../../connectors/stripe/fake/credentials";
import { PLATFORM, type TestUser } from "./api-client";

const SIGNING_SECRET = "whsec_kilnTemplateTestsSecret0123456789";

/** Connects the owner's Stripe (the fake's test key). */
export async function connectStripe(user: TestUser): Promise<void> {
  expect((await user.call("PUT", "/api/connections/stripe", { key: FAKE_STRIPE_SECRET_KEY })).status).toBe(201);
}

/** Sets the webhook signing secret of an environment (the preview's by default); returns the path Stripe posts to. */
export async function stripeWebhookPath(
  user: TestUser,
  appId: string,
  environment: "preview" | "live" = "preview",
): Promise<string> {
  const saved = await user.call("PUT", `/api/apps/${appId}/stripe-webhook`, {
    environment,
    signingSecret: SIGNING_SECRET,
  });
  expect(saved.status).toBe(200);
  return new URL(saved.body.webhook.url as string).pathname;
}

/** Delivers a signed event about `object` as Stripe would; answers Kiln's reply. */
export async function deliverStripeEvent(
  path: string,
  type: string,
  object: Record<string, unknown>,
): Promise<{ status: number; body: unknown }> {
  const payload = JSON.stringify({
    id: `evt_${crypto.randomUUID().replace(/-/g, "").slice(0, 24)}`,
    object: "event",
    type,
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    data: { object },
  });
  const signature = await Stripe.webhooks.generateTestHeaderStringAsync({ payload, secret: SIGNING_SECRET });
  const response = await SELF.fetch(`${PLATFORM}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "stripe-signature": signature },
    body: payload,
  });
  return { status: response.status, body: await response.json() };
}

/** A call straight to the Stripe fake with the owner's key, as the Stripe dashboard would show things. */
export async function stripeFake<T>(method: string, path: string, form?: Record<string, string>): Promise<T> {
  const response = await fetch(`${env.STRIPE_API_BASE}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${FAKE_STRIPE_SECRET_KEY}`,
      ...(form === undefined ? {} : { "content-type": "application/x-www-form-urlencoded" }),
    },
    body: form === undefined ? undefined : new URLSearchParams(form),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

/** The buyer pays a checkout session at the fake (its test control); returns the completed session. */
export async function payCheckoutSession(sessionId: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${env.STRIPE_API_BASE}/__fake/checkout/sessions/${sessionId}/complete`, {
    method: "POST",
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

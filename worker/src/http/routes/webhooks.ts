import { Hono } from "hono";
import { z } from "zod";
import type { PlatformContext } from "../context";
import { parseWith, readJson } from "../validation";
import { ApiError } from "../../core/errors";
import type { RunnerFor } from "../../isolates/app-runner-for";
import { deliverStripeEvent } from "../../webhooks/deliver-stripe-event";
import {
  STRIPE_TEST_EVENT_TYPES,
  type StripeTestDelivery,
  type StripeWebhookView,
} from "../../core/api-shapes/webhooks";
import { sendStripeTestEvent } from "../../webhooks/test-events";
import { deleteStripeWebhook, listStripeWebhooks, saveStripeWebhook } from "../../webhooks/stripe-webhook-store";

const saveSchema = z.object({
  environment: z.enum(["preview", "live"]),
  // Stripe shows it as "whsec_…" on the endpoint's page in the dashboard (or `stripe listen` prints it).
  signingSecret: z.string().regex(/^whsec_[A-Za-z0-9]{16,}$/, 'a Stripe signing secret starts with "whsec_"'),
});
const environmentQuery = z.object({ env: z.enum(["preview", "live"]) });

/** Where Stripe must send an endpoint's events. */
export function stripeWebhookUrl(requestUrl: string, webhookId: string): string {
  return `${new URL(requestUrl).origin}/api/hooks/stripe/${webhookId}`;
}

const testSchema = z.object({
  environment: z.enum(["preview", "live"]).default("preview"),
  type: z.enum(STRIPE_TEST_EVENT_TYPES, `type must be one of ${STRIPE_TEST_EVENT_TYPES.join(", ")}`),
  /** Fields of the event's object to set, e.g. { "amount_total": 4900, "customer_details": { "email": "…" } }. */
  object: z.record(z.string(), z.unknown()).optional(),
});

/**
 * The owner's side: `GET|PUT|DELETE /api/apps/:id/stripe-webhook` (the signing secret goes in, never out), and
 * `POST /api/apps/:id/stripe-webhook/test`, a signed test event through the real delivery path.
 */
export const stripeWebhookRoutes = (runner: RunnerFor) =>
  new Hono<PlatformContext>()
    .post("/stripe-webhook/test", async (c) => {
      const { environment, type, object } = await readJson(c, testSchema);
      const sent = await sendStripeTestEvent(
        c.env,
        (slug) => runner(c.env, slug),
        c.var.app,
        environment,
        type,
        object,
      );
      return c.json({
        environment,
        url: stripeWebhookUrl(c.req.url, sent.webhookId),
        createdEndpoint: sent.createdEndpoint,
        event: sent.event,
        delivered: sent.outcome.status === 200,
        status: sent.outcome.status,
        answer: sent.outcome.body,
      } satisfies StripeTestDelivery);
    })
    .get("/stripe-webhook", async (c) => {
      const hooks = await listStripeWebhooks(c.env.DB, c.var.app.id);
      return c.json({
        webhooks: hooks.map((hook) => ({
          environment: hook.environment,
          url: stripeWebhookUrl(c.req.url, hook.id),
          last4: hook.secretLast4,
          updatedAt: hook.updatedAt,
        })),
      } satisfies { webhooks: StripeWebhookView[] });
    })
    .put("/stripe-webhook", async (c) => {
      const { environment, signingSecret } = await readJson(c, saveSchema);
      const hook = await saveStripeWebhook(c.env, c.var.user.id, c.var.app.id, environment, signingSecret);
      return c.json({
        webhook: {
          environment,
          url: stripeWebhookUrl(c.req.url, hook.id),
          last4: hook.secretLast4,
          updatedAt: hook.updatedAt,
        } satisfies StripeWebhookView,
      });
    })
    .delete("/stripe-webhook", async (c) => {
      const { env } = parseWith(environmentQuery, c.req.query());
      if (!(await deleteStripeWebhook(c.env.DB, c.var.app.id, env)))
        throw new ApiError(404, "not_found", `This app has no Stripe webhook for ${env}.`);
      return c.json({ ok: true });
    });

/** Stripe's side: `POST /api/hooks/stripe/:webhookId`, no session; the signature is the only proof. */
export function stripeHookRoutes(runner: RunnerFor) {
  return new Hono<PlatformContext>().post("/stripe/:webhookId", async (c) => {
    const outcome = await deliverStripeEvent(
      c.env,
      (slug) => runner(c.env, slug),
      c.req.param("webhookId"),
      await c.req.text(),
      c.req.header("stripe-signature") ?? null,
    );
    return c.json(outcome.body, outcome.status);
  });
}

// An app's Stripe endpoints and the test events the owner can send them.

/** The event types "send a test event" can make: the ones apps built by chat handle most. */
export const STRIPE_TEST_EVENT_TYPES = [
  "checkout.session.completed",
  "payment_intent.succeeded",
  "charge.refunded",
  "invoice.paid",
  "invoice.payment_failed",
  "customer.subscription.created",
  "customer.subscription.deleted",
] as const;
export type StripeTestEventType = (typeof STRIPE_TEST_EVENT_TYPES)[number];

/** `GET /api/apps/:id/stripe-webhook`: one environment's endpoint (never its secret). */
export interface StripeWebhookView {
  environment: "preview" | "live";
  /** Where Stripe must post this environment's events. */
  url: string;
  last4: string;
  updatedAt: string;
}

/** `POST /api/apps/:id/stripe-webhook/test`: what the signed test delivery did. */
export interface StripeTestDelivery {
  environment: "preview" | "live";
  url: string;
  /** The environment had no endpoint: Kiln made one with its own secret (paste Stripe's to receive real events). */
  createdEndpoint: boolean;
  event: Record<string, unknown>;
  /** Kiln answered the delivery with 200 (the app handled it, or has no handler: see `answer`). */
  delivered: boolean;
  status: number;
  answer: Record<string, unknown>;
}
